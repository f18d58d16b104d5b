import Testing
import CurbModel

@Suite struct ConcatenationOptionsTests {
    @Test func validation() throws {
        let axis3 = ConcatenationOptions(axis: 3)
        #expect(try roundTrip(axis3) == axis3)
        let a = int8Tensor([1, 4, 4, 3]), b = int8Tensor([1, 4, 4, 5])
        #expect(validationError(axis3, makeContext(.concatenation, inputs: [a, b], outputs: [int8Tensor([1, 4, 4, 8])])) == nil)
        // Axis sum wrong; another dimension differs; rank differs.
        #expect(validationError(axis3, makeContext(.concatenation, inputs: [a, b], outputs: [int8Tensor([1, 4, 4, 9])])) == .shapeMismatch)
        #expect(validationError(axis3, makeContext(.concatenation, inputs: [a, int8Tensor([1, 4, 2, 5])], outputs: [int8Tensor([1, 4, 4, 8])])) == .shapeMismatch)
        #expect(validationError(axis3, makeContext(.concatenation, inputs: [a, int8Tensor([4, 4, 5])], outputs: [int8Tensor([1, 4, 4, 8])])) == .shapeMismatch)
        // Inputs must share the output's scale and zero point.
        #expect(validationError(axis3, makeContext(.concatenation, inputs: [a, int8Tensor([1, 4, 4, 5], zeroPoint: 3)],
                                                   outputs: [int8Tensor([1, 4, 4, 8])])) == .quantization)
        // Axis beyond the rank; a clamp the int8 kernel would not apply.
        #expect(validationError(ConcatenationOptions(axis: 4), makeContext(.concatenation, inputs: [a], outputs: [a])) == .invalidValue)
        #expect(validationError(ConcatenationOptions(axis: 1, activation: ActivationRange(minimum: 0, maximum: 127)),
                                makeContext(.concatenation, inputs: [a], outputs: [a])) == .invalidValue)
    }
}
