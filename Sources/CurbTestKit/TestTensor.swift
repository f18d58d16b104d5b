import CurbModel
import CurbRuntime

/// A tensor that owns its memory, for kernel tests: fill it, take a ``view``, read it back.
public final class TestTensor {
    public let shape: TensorShape
    public let type: ElementType
    public let scale: Float
    public let zeroPoint: Int32
    public let memory: UnsafeMutableRawBufferPointer

    public init(shape: [Int], type: ElementType = .int8, scale: Float = 0, zeroPoint: Int32 = 0) {
        self.shape = TensorShape(shape)
        self.type = type
        self.scale = scale
        self.zeroPoint = zeroPoint
        memory = .allocate(byteCount: max(self.shape.elementCount * type.byteWidth, 1), alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// An int8 tensor holding `values`.
    public convenience init(shape: [Int], int8 values: [Int8], scale: Float = 0, zeroPoint: Int32 = 0) {
        self.init(shape: shape, type: .int8, scale: scale, zeroPoint: zeroPoint)
        precondition(values.count == self.shape.elementCount, "\(values.count) values for shape \(self.shape)")
        for (index, value) in values.enumerated() { memory.storeBytes(of: value, toByteOffset: index, as: Int8.self) }
    }

    /// An int32 tensor holding `values`.
    public convenience init(shape: [Int], int32 values: [Int32]) {
        self.init(shape: shape, type: .int32)
        precondition(values.count == self.shape.elementCount, "\(values.count) values for shape \(self.shape)")
        for (index, value) in values.enumerated() { memory.storeBytes(of: value, toByteOffset: index * 4, as: Int32.self) }
    }

    /// A float32 tensor holding `values`.
    public convenience init(shape: [Int], float32 values: [Float], scale: Float = 0, zeroPoint: Int32 = 0) {
        self.init(shape: shape, type: .float32, scale: scale, zeroPoint: zeroPoint)
        precondition(values.count == self.shape.elementCount, "\(values.count) values for shape \(self.shape)")
        for (index, value) in values.enumerated() { memory.storeBytes(of: value, toByteOffset: index * 4, as: Float.self) }
    }

    deinit { memory.deallocate() }

    public var view: TensorView {
        TensorView(data: memory.baseAddress!, shape: shape, type: type, scale: scale, zeroPoint: zeroPoint)
    }

    public var int8Values: [Int8] { (0..<shape.elementCount).map { memory.load(fromByteOffset: $0, as: Int8.self) } }
    public var int32Values: [Int32] { (0..<shape.elementCount).map { memory.load(fromByteOffset: $0 * 4, as: Int32.self) } }
    public var float32Values: [Float] { (0..<shape.elementCount).map { memory.load(fromByteOffset: $0 * 4, as: Float.self) } }
}
