import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct StridedSliceTests {
    func slice(_ values: [Int8], shape: [Int], begin: [Int32], end: [Int32], strides: [Int32], beginMask: Int32 = 0,
               endMask: Int32 = 0, shrinkAxisMask: Int32 = 0) throws -> (values: [Int8], shape: [Int]) {
        let resolved = try StridedSliceOptions.resolve(shape: TensorShape(shape), begin: begin, end: end, strides: strides,
                                                      beginMask: beginMask, endMask: endMask, shrinkAxisMask: shrinkAxisMask)
        let input = TestTensor(shape: shape, int8: values, scale: 1)
        let output = TestTensor(shape: resolved.outputShape, scale: 1)
        resolved.options.makeKernel(kind: .stridedSlice, inputs: [input.view], outputs: [output.view]).run()
        return (output.int8Values, resolved.outputShape)
    }

    @Test func negativeStrideReverses() throws {
        // x[::-1] on [0, 1, 2, 3, 4]: begin/end masked, stride −1 → start 4, stop −1 → [4, 3, 2, 1, 0].
        let reversed = try slice([0, 1, 2, 3, 4], shape: [5], begin: [0], end: [0], strides: [-1], beginMask: 1, endMask: 1)
        #expect(reversed.values == [4, 3, 2, 1, 0])
        // x[4:0:-2]: 4, 2 (stop 0 excluded); count (0 − 4 + 1) / −2 + 1 = 2.
        let everyOther = try slice([0, 1, 2, 3, 4], shape: [5], begin: [4], end: [0], strides: [-2])
        #expect(everyOther.values == [4, 2] && everyOther.shape == [2])
        // x[-1:-4:-1]: −1 → 4, −4 → 1 → 4, 3, 2.
        let negativeIndices = try slice([0, 1, 2, 3, 4], shape: [5], begin: [-1], end: [-4], strides: [-1])
        #expect(negativeIndices.values == [4, 3, 2])
    }

    @Test func twoDimensionsWithShrinkAndPartialSpec() throws {
        // 3×4 matrix 0…11. x[1, ::2]: row 1 shrunk away, columns 0 and 2 → [4, 6], shape [2].
        let values = (0..<12).map { Int8($0) }
        let row = try slice(values, shape: [3, 4], begin: [1, 0], end: [2, 4], strides: [1, 2], shrinkAxisMask: 1)
        #expect(row.values == [4, 6] && row.shape == [2])
        // x[1:] with only one axis given: the column axis is taken whole → rows 1 and 2.
        let tail = try slice(values, shape: [3, 4], begin: [1], end: [3], strides: [1])
        #expect(tail.values == Array(4..<12).map { Int8($0) } && tail.shape == [2, 4])
        // x[::-1, 3]: rows reversed, column 3 → [11, 7, 3].
        let column = try slice(values, shape: [3, 4], begin: [0, 3], end: [0, 4], strides: [-1, 1], beginMask: 1, endMask: 1,
                               shrinkAxisMask: 2)
        #expect(column.values == [11, 7, 3] && column.shape == [3])
    }

    @Test func outOfRangeIndicesClamp() throws {
        // begin −10 clamps to 0, end 100 clamps to 5 for a positive stride.
        let clamped = try slice([0, 1, 2, 3, 4], shape: [5], begin: [-10], end: [100], strides: [2])
        #expect(clamped.values == [0, 2, 4])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x5117)
        var checked = 0
        while checked < 200 {
            let rank = Int.random(in: 1...4, using: &generator)
            let shape = (0..<rank).map { _ in Int.random(in: 1...5, using: &generator) }
            let strides = (0..<rank).map { _ in [-3, -2, -1, 1, 2, 3].randomElement(using: &generator)! }.map(Int32.init)
            let begin = (0..<rank).map { _ in Int32.random(in: -6...6, using: &generator) }
            let end = (0..<rank).map { _ in Int32.random(in: -6...6, using: &generator) }
            let beginMask = Int32.random(in: 0...15, using: &generator), endMask = Int32.random(in: 0...15, using: &generator)
            guard let resolved = try? StridedSliceOptions.resolve(shape: TensorShape(shape), begin: begin, end: end,
                                                                 strides: strides, beginMask: beginMask, endMask: endMask)
            else { continue }
            let values = generator.int8Values(TensorShape(shape).elementCount)
            let input = TestTensor(shape: shape, int8: values, scale: 1)
            let output = TestTensor(shape: resolved.outputShape, scale: 1)
            resolved.options.makeKernel(kind: .stridedSlice, inputs: [input.view], outputs: [output.view]).run()
            // Naive: python-style index lists per axis (TFLite's Start/EndForAxis, literally), then the product.
            var axisIndices: [[Int]] = []
            for axis in 0..<rank {
                let size = shape[axis], stride = Int(strides[axis])
                var start = Int(begin[axis]); if start < 0 { start += size }
                start = stride > 0 ? min(max(start, 0), size) : min(max(start, -1), size - 1)
                if beginMask & (1 << axis) != 0 { start = stride > 0 ? 0 : size - 1 }
                var stop = Int(end[axis]); if stop < 0 { stop += size }
                stop = stride > 0 ? min(max(stop, 0), size) : min(max(stop, -1), size - 1)
                if endMask & (1 << axis) != 0 { stop = stride > 0 ? size : -1 }
                axisIndices.append(Array(Swift.stride(from: start, to: stop, by: stride)))
            }
            var expected: [Int8] = []
            func visit(_ axis: Int, _ flat: Int) {
                if axis == rank { expected.append(values[flat]); return }
                for index in axisIndices[axis] { visit(axis + 1, flat * shape[axis] + index) }
            }
            visit(0, 0)
            #expect(output.int8Values == expected)
            #expect(resolved.outputShape == axisIndices.map(\.count))
            checked += 1
        }
    }
}
