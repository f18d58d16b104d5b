import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct PadTests {
    @Test func fillsWithPadValue() throws {
        // [1, 2, 2, 1] = [[1, 2], [3, 4]] padded by one row above, one column left and one column right,
        // filled with 7 → [1, 3, 4, 1]:
        //   7 7 7 7
        //   7 1 2 7
        //   7 3 4 7
        let options = PadOptions(before: [0, 1, 1, 0], after: [0, 0, 1, 0], value: 7)
        let input = TestTensor(shape: [1, 2, 2, 1], int8: [1, 2, 3, 4], scale: 1)
        let output = TestTensor(shape: [1, 3, 4, 1], scale: 1)
        options.makeKernel(kind: .pad, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.int8Values == [7, 7, 7, 7, 7, 1, 2, 7, 7, 3, 4, 7])
    }

    @Test func padsTheInnermostAxisAndUsesZeroPoint() throws {
        // PAD fills with the output zero point (−3): [2] → [1 before, 2 after] on the channel axis.
        let options = try PadOptions.make(before: [0, 1], after: [1, 2], outputZeroPoint: -3)
        #expect(options.value == -3)
        let input = TestTensor(shape: [1, 2], int8: [5, 6], scale: 1, zeroPoint: -3)
        let output = TestTensor(shape: [2, 5], scale: 1, zeroPoint: -3)
        options.makeKernel(kind: .pad, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.int8Values == [-3, 5, 6, -3, -3, -3, -3, -3, -3, -3])
    }

    @Test func randomizedAgainstNaiveReference() {
        var generator = SeededGenerator(seed: 0xBAD)
        for _ in 0..<30 {
            let rank = Int.random(in: 1...4, using: &generator)
            let shape = (0..<rank).map { _ in Int.random(in: 1...3, using: &generator) }
            let before = (0..<rank).map { _ in Int32.random(in: 0...2, using: &generator) }
            let after = (0..<rank).map { _ in Int32.random(in: 0...2, using: &generator) }
            let outputShape = (0..<rank).map { shape[$0] + Int(before[$0]) + Int(after[$0]) }
            let values = generator.int8Values(TensorShape(shape).elementCount)
            let input = TestTensor(shape: shape, int8: values, scale: 1)
            let output = TestTensor(shape: outputShape, scale: 1)
            PadOptions(before: before, after: after, value: -9).makeKernel(kind: .pad, inputs: [input.view], outputs: [output.view]).run()
            // Naive: for every output coordinate, read the input if inside, else the pad value.
            var expected: [Int8] = []
            for flat in 0..<TensorShape(outputShape).elementCount {
                var remaining = flat, inputIndex = 0, inside = true
                var coordinates = [Int](repeating: 0, count: rank)
                for axis in stride(from: rank - 1, through: 0, by: -1) {
                    coordinates[axis] = remaining % outputShape[axis]
                    remaining /= outputShape[axis]
                }
                for axis in 0..<rank {
                    let c = coordinates[axis] - Int(before[axis])
                    if c < 0 || c >= shape[axis] { inside = false }
                    inputIndex = inputIndex * shape[axis] + c
                }
                expected.append(inside ? values[inputIndex] : -9)
            }
            #expect(output.int8Values == expected)
        }
    }
}
