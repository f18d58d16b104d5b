/// A complete model: tensors, operators in execution order, the arena plan, constants and metadata.
///
/// A model read from a file has been validated (``ModelReader``); a model built in memory is validated
/// when written or when an interpreter loads it.
public struct Model: Sendable {
    public var tensors: [Tensor]
    /// In execution order: every operator's inputs are graph inputs, constants or earlier outputs.
    public var operators: [Operator]
    /// Graph input tensor indices.
    public var inputs: [Int32]
    /// Graph output tensor indices.
    public var outputs: [Int32]
    public var plan: ArenaPlan
    public var constants: ConstantData
    public var metadata: ModelMetadata

    public init(tensors: [Tensor], operators: [Operator], inputs: [Int32], outputs: [Int32], plan: ArenaPlan,
                constants: ConstantData, metadata: ModelMetadata) {
        self.tensors = tensors
        self.operators = operators
        self.inputs = inputs
        self.outputs = outputs
        self.plan = plan
        self.constants = constants
        self.metadata = metadata
    }

    /// The bytes of a constant tensor (nil for activations).
    public func constantBytes(of tensorIndex: Int) -> UnsafeRawBufferPointer? {
        let tensor = tensors[tensorIndex]
        guard case .constant(let offset) = tensor.storage else { return nil }
        return UnsafeRawBufferPointer(rebasing: constants.bytes[offset..<(offset + tensor.byteCount)])
    }

    /// Bytes of all constant tensors (weights, biases): the parameter bytes.
    public var parameterBytes: Int {
        tensors.reduce(0) { $0 + ($1.isConstant ? $1.byteCount : 0) }
    }
}
