import Testing
import CurbModel

@Suite struct StridedSliceOptionsTests {
    @Test func resolveFollowsTFLite() throws {
        // x[::-1] on 5 elements: start 4, stop −1, stride −1, 5 elements.
        let reversed = try StridedSliceOptions.resolve(shape: TensorShape([5]), begin: [0], end: [0], strides: [-1],
                                                       beginMask: 1, endMask: 1)
        #expect(reversed.options == StridedSliceOptions(begin: [4], end: [-1], strides: [-1]))
        #expect(reversed.outputShape == [5])
        // Shrink axis 0 at index −1 of [3, 4]: start 2, stop 3; the output keeps only the columns.
        let lastRow = try StridedSliceOptions.resolve(shape: TensorShape([3, 4]), begin: [-1, 0], end: [0, 4], strides: [1, 1],
                                                      shrinkAxisMask: 1)
        #expect(lastRow.options == StridedSliceOptions(begin: [2, 0], end: [3, 4], strides: [1, 1], shrinkAxisMask: 1))
        #expect(lastRow.outputShape == [4])
        // Offset mode: end is a size counted from begin.
        let offset = try StridedSliceOptions.resolve(shape: TensorShape([6]), begin: [1], end: [3], strides: [1], offset: true)
        #expect(offset.options.end == [4] && offset.outputShape == [3])
        #expect(try roundTrip(lastRow.options) == lastRow.options)
        // Empty results, zero strides and ellipsis masks are refused.
        #expect(throws: ModelError.self) { try StridedSliceOptions.resolve(shape: TensorShape([5]), begin: [3], end: [3], strides: [1]) }
        #expect(throws: ModelError.self) { try StridedSliceOptions.resolve(shape: TensorShape([5]), begin: [0], end: [3], strides: [0]) }
        #expect(throws: ModelError.self) {
            try StridedSliceOptions.resolve(shape: TensorShape([5]), begin: [0], end: [3], strides: [1], ellipsisMask: 1)
        }
    }

    @Test func validation() throws {
        let input = int8Tensor([3, 4])
        let options = StridedSliceOptions(begin: [2, 3], end: [-1, 0], strides: [-1, -2])  // rows 2,1,0; columns 3,1
        #expect(validationError(options, makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([3, 2])])) == nil)
        #expect(validationError(options, makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([3, 3])])) == .shapeMismatch)
        // begin outside the axis, end outside its range, zero stride, wrong count.
        #expect(validationError(StridedSliceOptions(begin: [3, 0], end: [3, 4], strides: [1, 1]),
                                makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([1, 4])])) == .invalidValue)
        #expect(validationError(StridedSliceOptions(begin: [0, 0], end: [5, 4], strides: [1, 1]),
                                makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([3, 4])])) == .invalidValue)
        #expect(validationError(StridedSliceOptions(begin: [0, 0], end: [3, 4], strides: [0, 1]),
                                makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([3, 4])])) == .invalidValue)
        #expect(validationError(StridedSliceOptions(begin: [0], end: [3], strides: [1]),
                                makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([3])])) == .invalidValue)
        // A shrunk axis must select exactly one element and disappears from the output.
        let shrink = StridedSliceOptions(begin: [1, 0], end: [2, 4], strides: [1, 1], shrinkAxisMask: 1)
        #expect(validationError(shrink, makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([4])])) == nil)
        #expect(validationError(StridedSliceOptions(begin: [0, 0], end: [2, 4], strides: [1, 1], shrinkAxisMask: 1),
                                makeContext(.stridedSlice, inputs: [input], outputs: [int8Tensor([4])])) == .invalidValue)
    }
}
