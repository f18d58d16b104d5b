import Testing
import CurbModel

@Suite struct DequantizeOptionsTests {
    @Test func validation() {
        let float = Tensor(name: "f", type: .float32, shape: TensorShape([4]))
        #expect(validationError(DequantizeOptions(), makeContext(.dequantize, inputs: [int8Tensor([4])], outputs: [float])) == nil)
        #expect(validationError(DequantizeOptions(), makeContext(.dequantize, inputs: [float], outputs: [float])) == .wrongType)
        #expect(validationError(DequantizeOptions(), makeContext(.dequantize, inputs: [int8Tensor([4])], outputs: [int8Tensor([4])])) == .wrongType)
        #expect(validationError(DequantizeOptions(), makeContext(.dequantize, inputs: [int8Tensor([2, 2])], outputs: [float])) == .shapeMismatch)
        let unquantized = Tensor(name: "u", type: .int8, shape: TensorShape([4]))
        #expect(validationError(DequantizeOptions(), makeContext(.dequantize, inputs: [unquantized], outputs: [float])) == .quantization)
    }
}
