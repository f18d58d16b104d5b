/// Builds a ``Model`` in memory: add tensors, constants and operators in execution order, then
/// ``finish(inputs:outputs:metadata:)`` plans the arena.
///
/// Used by the trainer's exporter, the TFLite importer and tests. It checks nothing beyond what it must
/// to lay out bytes; ``ModelValidator`` is the judge.
public struct ModelBuilder {
    public private(set) var tensors: [Tensor] = []
    public private(set) var operators: [Operator] = []
    private var constantBytes: [UInt8] = []

    public init() {}

    /// Adds an activation tensor (planned in the arena) and returns its index.
    @discardableResult
    public mutating func addActivation(_ name: String, _ type: ElementType = .int8, shape: [Int],
                                       quantization: Quantization? = nil) -> Int32 {
        tensors.append(Tensor(name: name, type: type, shape: TensorShape(shape), quantization: quantization))
        return Int32(tensors.count - 1)
    }

    /// Adds a constant tensor whose data are the given little-endian bytes; returns its index.
    @discardableResult
    public mutating func addConstant(_ name: String, _ type: ElementType, shape: [Int], quantization: Quantization? = nil,
                                     bytes: [UInt8]) -> Int32 {
        let tensorShape = TensorShape(shape)
        precondition(bytes.count == tensorShape.elementCount * type.byteWidth,
                     "constant \(name): \(bytes.count) bytes for shape \(tensorShape) of \(type)")
        while constantBytes.count % AlignedBytes.alignment != 0 { constantBytes.append(0) }
        let offset = constantBytes.count
        constantBytes.append(contentsOf: bytes)
        tensors.append(Tensor(name: name, type: type, shape: tensorShape, quantization: quantization,
                              storage: .constant(offset: offset)))
        return Int32(tensors.count - 1)
    }

    /// Adds an int8 constant.
    @discardableResult
    public mutating func addConstant(_ name: String, shape: [Int], quantization: Quantization?, int8 values: [Int8]) -> Int32 {
        addConstant(name, .int8, shape: shape, quantization: quantization, bytes: values.map { UInt8(bitPattern: $0) })
    }

    /// Adds an int32 constant (biases).
    @discardableResult
    public mutating func addConstant(_ name: String, shape: [Int], quantization: Quantization? = nil, int32 values: [Int32]) -> Int32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = UInt32(bitPattern: value)
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        return addConstant(name, .int32, shape: shape, quantization: quantization, bytes: bytes)
    }

    /// Appends an operator (operators run in the order they are added).
    public mutating func addOperator(_ options: OperatorOptions, inputs: [Int32], outputs: [Int32]) {
        operators.append(Operator(options, inputs: inputs, outputs: outputs))
    }

    /// Plans the arena and returns the model.
    public func finish(inputs: [Int32], outputs: [Int32], metadata: ModelMetadata) -> Model {
        let plan = ArenaPlanner.plan(tensors: tensors, operators: operators, inputs: inputs, outputs: outputs)
        return Model(tensors: tensors, operators: operators, inputs: inputs, outputs: outputs, plan: plan,
                     constants: ConstantData(constantBytes), metadata: metadata)
    }
}
