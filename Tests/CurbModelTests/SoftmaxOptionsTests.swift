import Testing
import CurbModel

@Suite struct SoftmaxOptionsTests {
    let output = int8Tensor([2, 10], scale: 1.0 / 256, zeroPoint: -128)

    @Test func factoryMatchesPreprocessSoftmaxScaling() throws {
        // β = 1, s_in = 1: R = 2^26 → (2^30, 27); radius floor(31·2^26 / 2^27) = 15.
        let unit = try SoftmaxOptions.make(inputScale: 1)
        #expect(unit == SoftmaxOptions(inputMultiplier: 1 << 30, inputLeftShift: 27, diffMinimum: -15))
        // s_in = 1/16: R = 2^22 → (2^30, 23); radius 31·2^26 / 2^23 = 248.
        let sixteenth = try SoftmaxOptions.make(inputScale: 1.0 / 16)
        #expect(sixteenth == SoftmaxOptions(inputMultiplier: 1 << 30, inputLeftShift: 23, diffMinimum: -248))
        #expect(try roundTrip(sixteenth) == sixteenth)
        // β · s_in · 2^26 ≤ 1 is refused.
        #expect(throws: ModelError.self) { try SoftmaxOptions.make(inputScale: 1e-9) }
    }

    @Test func validation() throws {
        let options = try SoftmaxOptions.make(inputScale: 0.1)
        #expect(validationError(options, makeContext(.softmax, inputs: [int8Tensor([2, 10])], outputs: [output])) == nil)
        #expect(validationError(options, makeContext(.softmax, inputs: [int8Tensor([2, 10])],
                                                     outputs: [int8Tensor([2, 10], scale: 1.0 / 256, zeroPoint: 0)])) == .quantization)
        #expect(validationError(options, makeContext(.softmax, inputs: [int8Tensor([2, 10])],
                                                     outputs: [int8Tensor([2, 10], scale: 1.0 / 255, zeroPoint: -128)])) == .quantization)
        #expect(validationError(options, makeContext(.softmax, inputs: [int8Tensor([20])], outputs: [output])) == .shapeMismatch)
        #expect(validationError(options, makeContext(.softmax, inputs: [int8Tensor([])],
                                                     outputs: [int8Tensor([], scale: 1.0 / 256, zeroPoint: -128)])) == .shapeMismatch)
    }
}
