import Testing
import CurbModel

@Suite struct MulOptionsTests {
    @Test func factoryComputesInFloat() throws {
        // 0.5 · 0.5 / 0.25 = 1 → frexp(1) = 0.5·2^1 → (2^30, 1).
        let options = try MulOptions.make(input1Scale: 0.5, input2Scale: 0.5, outputScale: 0.25, outputZeroPoint: 3, activation: .relu)
        #expect(options.output == Requantization(multiplier: 1 << 30, shift: 1))
        #expect(options.activation == ActivationRange(minimum: 3, maximum: 127))
        #expect(try roundTrip(options) == options)
        // 0.1f · 0.3f / 0.7f in float then widened (not the double product).
        let float = try MulOptions.make(input1Scale: 0.1, input2Scale: 0.3, outputScale: 0.7, outputZeroPoint: 0)
        #expect(float.output == QuantizationMath.quantizeMultiplier(Double(Float(0.1) * Float(0.3) / Float(0.7))))
    }

    @Test func validation() throws {
        let options = try MulOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1, outputZeroPoint: 0)
        #expect(validationError(options, makeContext(.mul, inputs: [int8Tensor([4, 1]), int8Tensor([1, 5])], outputs: [int8Tensor([4, 5])])) == nil)
        #expect(validationError(options, makeContext(.mul, inputs: [int8Tensor([4, 2]), int8Tensor([1, 5])], outputs: [int8Tensor([4, 5])])) == .shapeMismatch)
        #expect(validationError(options, makeContext(.mul, inputs: [int8Tensor([5]), int8Tensor([5])], outputs: [int8Tensor([1, 5])])) == .shapeMismatch)
    }
}
