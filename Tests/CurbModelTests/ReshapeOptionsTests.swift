import Testing
import CurbModel

@Suite struct ReshapeOptionsTests {
    @Test func validation() {
        let options = ReshapeOptions()
        #expect(validationError(options, makeContext(.reshape, inputs: [int8Tensor([2, 6])], outputs: [int8Tensor([3, 4])])) == nil)
        #expect(validationError(options, makeContext(.reshape, inputs: [int8Tensor([2, 6])], outputs: [int8Tensor([3, 5])])) == .shapeMismatch)
        // Type must be kept; an int8 reshape keeps scale and zero point.
        let float = Tensor(name: "f", type: .float32, shape: TensorShape([12]))
        #expect(validationError(options, makeContext(.reshape, inputs: [int8Tensor([12])], outputs: [float])) == .wrongType)
        #expect(validationError(options, makeContext(.reshape, inputs: [float], outputs: [Tensor(name: "g", type: .float32, shape: TensorShape([3, 4]))])) == nil)
        #expect(validationError(options, makeContext(.reshape, inputs: [int8Tensor([12], zeroPoint: 1)], outputs: [int8Tensor([12])])) == .quantization)
    }
}
