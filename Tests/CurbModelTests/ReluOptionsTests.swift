import Testing
import CurbModel

@Suite struct ReluOptionsTests {
    @Test func factories() throws {
        // s_in 0.1, s_out 0.2: float 0.1f / 0.2f = 0.5 → (2^30, 0). ReLU6 max = zp + roundf(6 / 0.2f) = 4 + 30.
        let relu6 = try ReluOptions.relu6(inputScale: 0.1, outputScale: 0.2, outputZeroPoint: 4)
        #expect(relu6.requantization == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(relu6.activation == ActivationRange(minimum: 4, maximum: 34))
        let relu = try ReluOptions.relu(inputScale: 0.1, outputScale: 0.2, outputZeroPoint: -128)
        #expect(relu.activation == ActivationRange(minimum: -128, maximum: 127))
        // A tiny output scale: 6 / s is huge, the upper clamp stays 127.
        let wide = try ReluOptions.relu6(inputScale: 1e-6, outputScale: 1e-6, outputZeroPoint: 0)
        #expect(wide.activation == ActivationRange(minimum: 0, maximum: 127))
        #expect(try roundTrip(relu6) == relu6)
    }

    @Test func validation() throws {
        let options = try ReluOptions.relu(inputScale: 0.1, outputScale: 0.1, outputZeroPoint: 0)
        #expect(validationError(options, makeContext(.relu6, inputs: [int8Tensor([3])], outputs: [int8Tensor([3])])) == nil)
        #expect(validationError(options, makeContext(.relu, inputs: [int8Tensor([3])], outputs: [int8Tensor([1, 3])])) == .shapeMismatch)
        #expect(validationError(options, makeContext(.relu, inputs: [int8Tensor([3]), int8Tensor([3])], outputs: [int8Tensor([3])])) == .wrongArity)
    }
}
