/// Checks everything about a model before any of it is used: tensors, constants, graph order, each
/// operator's rules and the arena plan. A model that passes can be run without further checks.
public enum ModelValidator {
    /// The largest tensor this format accepts, in bytes (keeps every size computation far from overflow).
    public static let maximumTensorBytes = 1 << 31
    /// Limits on counts, so a hostile file cannot make the reader loop or allocate without bound.
    public static let maximumTensors = 1 << 16
    public static let maximumOperators = 1 << 16
    public static let maximumOperatorInputs = 64

    /// Validates `model`, throwing the first problem found.
    public static func validate(_ model: Model) throws(ModelError) {
        try validateTensors(model)
        try validateGraph(model)
        for (index, op) in model.operators.enumerated() {
            let context = OperatorContext(operatorIndex: index, kind: op.kind, inputIndices: op.inputs,
                                          outputIndices: op.outputs, tensors: model.tensors)
            try op.options.coding.validate(context)
        }
        try ArenaPlanner.verify(model.plan, tensors: model.tensors, operators: model.operators, inputs: model.inputs,
                                outputs: model.outputs)
        try validateMetadata(model.metadata)
    }

    /// The preprocessing recipe must be usable as written: one mean and one positive, finite standard
    /// deviation per channel (1–4 channels).
    static func validateMetadata(_ metadata: ModelMetadata) throws(ModelError) {
        guard let recipe = metadata.preprocessing else { return }
        func fail(_ message: String, _ field: String) -> ModelError {
            ModelError(.invalidValue, message, section: "metadata", field: field)
        }
        guard (1...4).contains(recipe.mean.count) else {
            throw fail("has \(recipe.mean.count) channel means, expected 1–4", "preprocessing.mean")
        }
        guard recipe.standardDeviation.count == recipe.mean.count else {
            throw fail("has \(recipe.standardDeviation.count) standard deviations for \(recipe.mean.count) means",
                       "preprocessing.standard_deviation")
        }
        for value in recipe.mean where !value.isFinite {
            throw fail("mean \(value) is not finite", "preprocessing.mean")
        }
        for value in recipe.standardDeviation where !(value.isFinite && value > 0) {
            throw fail("standard deviation \(value) must be finite and positive", "preprocessing.standard_deviation")
        }
    }

    static func validateTensors(_ model: Model) throws(ModelError) {
        guard model.tensors.count <= maximumTensors else {
            throw ModelError(.tooLarge, "\(model.tensors.count) tensors exceed the limit \(maximumTensors)", section: "tensors")
        }
        for (index, tensor) in model.tensors.enumerated() {
            func fail(_ code: ModelError.Code, _ message: String, _ field: String) -> ModelError {
                ModelError(code, message, section: "tensors", tensorIndex: index, field: field)
            }
            for axis in 0..<tensor.shape.rank where tensor.shape[axis] < 1 {
                throw fail(.invalidValue, "dimension \(axis) is \(tensor.shape[axis]); every dimension must be ≥ 1", "shape")
            }
            guard let elements = tensor.shape.elementCount(notExceeding: maximumTensorBytes / tensor.type.byteWidth) else {
                throw fail(.tooLarge, "shape \(tensor.shape) of \(tensor.type) exceeds \(maximumTensorBytes) bytes", "shape")
            }
            if let quantization = tensor.quantization {
                guard !quantization.scales.isEmpty else { throw fail(.quantization, "has no scale", "scales") }
                for scale in quantization.scales where !(scale.isFinite && scale > 0) {
                    throw fail(.quantization, "scale \(scale) must be finite and positive", "scales")
                }
                if quantization.scales.count > 1 {
                    guard quantization.axis >= 0, Int(quantization.axis) < tensor.shape.rank,
                          tensor.shape[Int(quantization.axis)] == quantization.scales.count else {
                        throw fail(.quantization, "\(quantization.scales.count) scales do not match axis \(quantization.axis) of shape \(tensor.shape)", "axis")
                    }
                    guard quantization.zeroPoint == 0 else {
                        throw fail(.quantization, "per-channel quantization needs zero point 0, has \(quantization.zeroPoint)", "zero_point")
                    }
                }
                if tensor.type == .int8, !(-128...127).contains(quantization.zeroPoint) {
                    throw fail(.quantization, "zero point \(quantization.zeroPoint) is not an int8 value", "zero_point")
                }
            }
            if case .constant(let offset) = tensor.storage {
                let bytes = elements * tensor.type.byteWidth
                guard offset >= 0, offset <= model.constants.count, bytes <= model.constants.count - offset else {
                    // `offset` may be anything in a model built in memory: no sum in the message.
                    throw fail(.outOfBounds, "constant of \(bytes) bytes at offset \(offset) exceeds the constant data (\(model.constants.count) bytes)", "offset")
                }
                guard offset % tensor.type.byteWidth == 0 else {
                    throw fail(.badAlignment, "constant offset \(offset) is not a multiple of \(tensor.type.byteWidth)", "offset")
                }
            }
        }
    }

    static func validateGraph(_ model: Model) throws(ModelError) {
        guard model.operators.count <= maximumOperators else {
            throw ModelError(.tooLarge, "\(model.operators.count) operators exceed the limit \(maximumOperators)", section: "graph")
        }
        let tensorCount = model.tensors.count
        var written = [Bool](repeating: false, count: tensorCount)
        guard !model.inputs.isEmpty, !model.outputs.isEmpty else {
            throw ModelError(.invalidValue, "a model needs at least one input and one output", section: "graph",
                             field: model.inputs.isEmpty ? "inputs" : "outputs")
        }
        for (position, index) in model.inputs.enumerated() {
            guard index >= 0, Int(index) < tensorCount else {
                throw ModelError(.outOfBounds, "graph input \(position) names tensor \(index) of \(tensorCount)", section: "graph", field: "inputs")
            }
            guard !model.tensors[Int(index)].isConstant, !written[Int(index)] else {
                throw ModelError(.invalidValue, "graph input \(position) must be a distinct activation tensor", section: "graph",
                                 tensorIndex: Int(index), field: "inputs")
            }
            written[Int(index)] = true
        }
        for (operatorIndex, op) in model.operators.enumerated() {
            func fail(_ code: ModelError.Code, _ message: String, _ field: String, _ tensor: Int32? = nil) -> ModelError {
                ModelError(code, "\(op.kind): \(message)", section: "graph", operatorIndex: operatorIndex,
                           tensorIndex: tensor.map { Int($0) }, field: field)
            }
            guard op.inputs.count <= maximumOperatorInputs, op.outputs.count <= maximumOperatorInputs else {
                throw fail(.tooLarge, "too many inputs or outputs", "inputs")
            }
            for index in op.inputs {
                if index == -1 { continue }
                guard index >= 0, Int(index) < tensorCount else {
                    throw fail(.outOfBounds, "input names tensor \(index) of \(tensorCount)", "inputs")
                }
                guard model.tensors[Int(index)].isConstant || written[Int(index)] else {
                    throw fail(.graphOrder, "reads tensor \(index) before any operator writes it", "inputs", index)
                }
            }
            guard !op.outputs.isEmpty else { throw fail(.wrongArity, "has no output", "outputs") }
            for index in op.outputs {
                guard index >= 0, Int(index) < tensorCount else {
                    throw fail(.outOfBounds, "output names tensor \(index) of \(tensorCount)", "outputs")
                }
                guard !model.tensors[Int(index)].isConstant else {
                    throw fail(.invalidValue, "writes constant tensor \(index)", "outputs", index)
                }
                guard !written[Int(index)] else {
                    throw fail(.graphOrder, "writes tensor \(index), which is already written (a cycle or a second writer)", "outputs", index)
                }
                written[Int(index)] = true
            }
        }
        for (position, index) in model.outputs.enumerated() {
            guard index >= 0, Int(index) < tensorCount else {
                throw ModelError(.outOfBounds, "graph output \(position) names tensor \(index) of \(tensorCount)", section: "graph", field: "outputs")
            }
            guard written[Int(index)] else {
                throw ModelError(.graphOrder, "graph output \(position) is never written", section: "graph", tensorIndex: Int(index), field: "outputs")
            }
        }
    }
}
