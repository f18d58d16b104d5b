/// A tensor of the subgraph.
///
/// `Tensor` table: shape (0, [int]), type (1, TensorType), buffer (2, uint32), name (3), quantization (4),
/// is_variable (5), sparsity (6), shape_signature (7, [int] with -1 for unknown dimensions), has_rank (8),
/// variant_tensors (9, unused).
public struct TFLiteTensor: Sendable, Equatable {
    /// The dimensions (each ≥ 0, at most `TFLiteReader.maximumRank` of them).
    public var shape: [Int32]
    public var type: TFLiteTensorType
    /// The index of the buffer with the tensor's constant data; 0 (the empty sentinel) for activations.
    public var buffer: Int
    public var name: String?
    public var quantization: TFLiteQuantization?
    public var isVariable: Bool
    /// Whether the tensor is stored sparse (Curbside does not import sparse tensors).
    public var isSparse: Bool
    /// The shape with -1 where the dimension is dynamic, when the converter wrote one.
    public var shapeSignature: [Int32]?

    public init(shape: [Int32], type: TFLiteTensorType, buffer: Int = 0, name: String? = nil,
                quantization: TFLiteQuantization? = nil, isVariable: Bool = false, isSparse: Bool = false,
                shapeSignature: [Int32]? = nil) {
        self.shape = shape
        self.type = type
        self.buffer = buffer
        self.name = name
        self.quantization = quantization
        self.isVariable = isVariable
        self.isSparse = isSparse
        self.shapeSignature = shapeSignature
    }
}
