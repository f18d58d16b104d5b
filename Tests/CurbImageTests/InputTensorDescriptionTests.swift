import CurbImage
import CurbModel
import Testing

@Suite struct InputTensorDescriptionTests {
    @Test func readsNHWCInt8AndFloat() throws {
        let int8 = Tensor(name: "input", type: .int8, shape: TensorShape([1, 96, 128, 3]), quantization: Quantization(scale: 0.5, zeroPoint: -3))
        let description = try InputTensorDescription(int8)
        #expect(description == InputTensorDescription(width: 128, height: 96, element: .int8(scale: 0.5, zeroPoint: -3)))
        #expect(description.byteCount == 128 * 96 * 3)
        let float = try InputTensorDescription(Tensor(name: "x", type: .float32, shape: TensorShape([64, 32, 3])))
        #expect(float == InputTensorDescription(width: 32, height: 64, element: .float32))
        #expect(float.byteCount == 64 * 32 * 3 * 4)
    }

    @Test func refusesOtherShapesAndTypes() {
        #expect(throws: ImageError.self) { try InputTensorDescription(Tensor(name: "x", type: .float32, shape: TensorShape([1, 8, 8, 1]))) }
        #expect(throws: ImageError.self) { try InputTensorDescription(Tensor(name: "x", type: .float32, shape: TensorShape([2, 8, 8, 3]))) }
        #expect(throws: ImageError.self) { try InputTensorDescription(Tensor(name: "x", type: .int32, shape: TensorShape([1, 8, 8, 3]))) }
        #expect(throws: ImageError.self) { try InputTensorDescription(Tensor(name: "x", type: .int8, shape: TensorShape([1, 8, 8, 3]))) }
    }
}
