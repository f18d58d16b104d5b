import Testing
import CurbModel

@Suite struct PadOptionsTests {
    @Test func validation() throws {
        let options = try PadOptions.make(before: [0, 1, 1, 0], after: [0, 1, 2, 0], outputZeroPoint: 0)
        #expect(try roundTrip(options) == options)
        let input = int8Tensor([1, 4, 4, 3])
        #expect(validationError(options, makeContext(.pad, inputs: [input], outputs: [int8Tensor([1, 6, 7, 3])])) == nil)
        #expect(validationError(options, makeContext(.pad, inputs: [input], outputs: [int8Tensor([1, 6, 6, 3])])) == .shapeMismatch)
        // One count per axis.
        #expect(validationError(PadOptions(before: [1, 1], after: [1, 1], value: 0),
                                makeContext(.pad, inputs: [input], outputs: [int8Tensor([1, 6, 7, 3])])) == .invalidValue)
        // Negative padding.
        #expect(validationError(PadOptions(before: [0, -1, 0, 0], after: [0, 0, 0, 0], value: 0),
                                makeContext(.pad, inputs: [input], outputs: [int8Tensor([1, 3, 4, 3])])) == .invalidValue)
        // Quantization must be copied unchanged.
        #expect(validationError(options, makeContext(.pad, inputs: [input], outputs: [int8Tensor([1, 6, 7, 3], scale: 0.25)])) == .quantization)
    }
}
