import CurbModel

/// A tensor's memory as a kernel sees it: an address with its shape, type and quantization.
///
/// Views point into the arena (activations) or the model's constant bytes (weights). Kernels never write
/// through input views.
public struct TensorView: @unchecked Sendable {
    public let data: UnsafeMutableRawPointer
    public let shape: TensorShape
    public let type: ElementType
    /// The single (or first) scale; 0 for tensors without quantization.
    public let scale: Float
    public let zeroPoint: Int32

    public init(data: UnsafeMutableRawPointer, shape: TensorShape, type: ElementType, scale: Float = 0, zeroPoint: Int32 = 0) {
        self.data = data
        self.shape = shape
        self.type = type
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// A view of `tensor`'s description over `data`.
    public init(_ tensor: Tensor, data: UnsafeMutableRawPointer) {
        self.init(data: data, shape: tensor.shape, type: tensor.type, scale: tensor.quantization?.scale ?? 0,
                  zeroPoint: tensor.zeroPoint)
    }

    public var elementCount: Int { shape.elementCount }
    public var byteCount: Int { elementCount * type.byteWidth }

    public var int8: UnsafeMutablePointer<Int8> { data.assumingMemoryBound(to: Int8.self) }
    public var int32: UnsafeMutablePointer<Int32> { data.assumingMemoryBound(to: Int32.self) }
    public var float32: UnsafeMutablePointer<Float> { data.assumingMemoryBound(to: Float.self) }
}
