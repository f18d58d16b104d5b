import Testing
import CurbModel

@Suite struct QuantizeOptionsTests {
    @Test func validation() throws {
        let float = Tensor(name: "f", type: .float32, shape: TensorShape([2, 3]))
        #expect(validationError(QuantizeOptions(), makeContext(.quantize, inputs: [float], outputs: [int8Tensor([2, 3])])) == nil)
        // Float input carries no requantization.
        let requantize = try QuantizeOptions.requantize(inputScale: 0.5, outputScale: 0.25)
        #expect(requantize.requantization == Requantization(multiplier: 1 << 30, shift: 2))  // 2 = 0.5·2^2
        #expect(try roundTrip(requantize) == requantize)
        #expect(validationError(requantize, makeContext(.quantize, inputs: [float], outputs: [int8Tensor([2, 3])])) == .invalidValue)
        #expect(validationError(requantize, makeContext(.quantize, inputs: [int8Tensor([2, 3])], outputs: [int8Tensor([2, 3])])) == nil)
        // Output must be int8 with quantization, same shape.
        #expect(validationError(QuantizeOptions(), makeContext(.quantize, inputs: [float], outputs: [float])) == .wrongType)
        #expect(validationError(QuantizeOptions(), makeContext(.quantize, inputs: [float], outputs: [int8Tensor([6])])) == .shapeMismatch)
        let int32 = Tensor(name: "i", type: .int32, shape: TensorShape([2, 3]))
        #expect(validationError(QuantizeOptions(), makeContext(.quantize, inputs: [int32], outputs: [int8Tensor([2, 3])])) == .wrongType)
    }
}
