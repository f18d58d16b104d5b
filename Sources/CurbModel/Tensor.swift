/// Where a tensor's bytes live.
public enum TensorStorage: Sendable, Equatable {
    /// Constant data inside the model's constant section: `offset` bytes from its start.
    case constant(offset: Int)
    /// An activation (or graph input/output): planned in the arena (see ``ArenaPlan``).
    case activation
}

/// One tensor of a model: its type, shape, quantization and storage.
public struct Tensor: Sendable, Equatable {
    public var name: String
    public var type: ElementType
    public var shape: TensorShape
    /// Nil for tensors that are not quantized (float32 graph inputs/outputs, or int32 data with no scale).
    public var quantization: Quantization?
    public var storage: TensorStorage

    public init(name: String, type: ElementType, shape: TensorShape, quantization: Quantization? = nil,
                storage: TensorStorage = .activation) {
        self.name = name
        self.type = type
        self.shape = shape
        self.quantization = quantization
        self.storage = storage
    }

    /// The number of bytes of the tensor's data.
    public var byteCount: Int { shape.elementCount * type.byteWidth }

    /// Whether the tensor is constant data.
    public var isConstant: Bool {
        if case .constant = storage { return true }
        return false
    }

    /// The zero point, or 0 when the tensor is not quantized.
    public var zeroPoint: Int32 { quantization?.zeroPoint ?? 0 }
}
