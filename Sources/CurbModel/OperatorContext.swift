/// An operator's tensors as the validator sees them, with helpers that produce located errors.
public struct OperatorContext {
    /// The operator's index in execution order.
    public let operatorIndex: Int
    public let kind: OperatorKind
    /// Tensor indices of the inputs (`-1` marks an absent optional input).
    public let inputIndices: [Int32]
    public let outputIndices: [Int32]
    /// All tensors of the model.
    public let tensors: [Tensor]

    public init(operatorIndex: Int, kind: OperatorKind, inputIndices: [Int32], outputIndices: [Int32], tensors: [Tensor]) {
        self.operatorIndex = operatorIndex
        self.kind = kind
        self.inputIndices = inputIndices
        self.outputIndices = outputIndices
        self.tensors = tensors
    }

    /// The `position`-th input, or nil if absent (index −1).
    public func input(_ position: Int) -> Tensor? {
        let index = inputIndices[position]
        return index < 0 ? nil : tensors[Int(index)]
    }

    /// The `position`-th output.
    public func output(_ position: Int) -> Tensor { tensors[Int(outputIndices[position])] }

    /// An error located at this operator (and, if given, one of its tensors).
    public func error(_ code: ModelError.Code, _ message: String, field: String? = nil, input: Int? = nil,
                      output: Int? = nil) -> ModelError {
        var tensorIndex: Int?
        if let input, input < inputIndices.count, inputIndices[input] >= 0 { tensorIndex = Int(inputIndices[input]) }
        if let output, output < outputIndices.count { tensorIndex = Int(outputIndices[output]) }
        return ModelError(code, "\(kind): \(message)", section: "graph", operatorIndex: operatorIndex,
                          tensorIndex: tensorIndex, field: field)
    }

    /// Requires the input and output counts to lie in the given ranges.
    public func requireArity(inputs: ClosedRange<Int>, outputs: ClosedRange<Int> = 1...1) throws(ModelError) {
        guard inputs.contains(inputIndices.count) else {
            throw error(.wrongArity, "takes \(Self.describe(inputs)) inputs, has \(inputIndices.count)", field: "inputs")
        }
        guard outputs.contains(outputIndices.count) else {
            throw error(.wrongArity, "makes \(Self.describe(outputs)) outputs, has \(outputIndices.count)", field: "outputs")
        }
    }

    /// Requires input `position` to be present.
    public func requiredInput(_ position: Int) throws(ModelError) -> Tensor {
        guard let tensor = input(position) else {
            throw error(.wrongArity, "input \(position) is required", field: "inputs")
        }
        return tensor
    }

    /// Requires `tensor` (input `input` or output `output`) to have element type `type`.
    public func requireType(_ tensor: Tensor, _ type: ElementType, input: Int? = nil, output: Int? = nil) throws(ModelError) {
        guard tensor.type == type else {
            throw error(.wrongType, "\(Self.role(input: input, output: output)) must be \(type), is \(tensor.type)",
                        field: "type", input: input, output: output)
        }
    }

    /// Requires a per-tensor quantization on an int8 tensor and returns it.
    public func requirePerTensorQuantization(_ tensor: Tensor, input: Int? = nil, output: Int? = nil) throws(ModelError) -> Quantization {
        guard let quantization = tensor.quantization, quantization.scales.count == 1 else {
            throw error(.quantization, "\(Self.role(input: input, output: output)) needs one scale and zero point",
                        field: "quantization", input: input, output: output)
        }
        guard quantization.zeroPoint >= -128, quantization.zeroPoint <= 127 else {
            throw error(.quantization, "\(Self.role(input: input, output: output)) zero point \(quantization.zeroPoint) is not an int8 value",
                        field: "zero_point", input: input, output: output)
        }
        return quantization
    }

    /// Requires two shapes to be equal.
    public func requireSameShape(_ actual: TensorShape, _ expected: TensorShape, output: Int? = nil, input: Int? = nil) throws(ModelError) {
        guard actual == expected else {
            throw error(.shapeMismatch, "\(Self.role(input: input, output: output)) has shape \(actual), expected \(expected)",
                        field: "shape", input: input, output: output)
        }
    }

    /// Requires `actual` to have the `expected` dimensions. Takes plain integers so that an expected extent
    /// computed from hostile values (beyond Int32) is reported, not trapped on while building a shape.
    public func requireShape(_ actual: TensorShape, _ expected: [Int], output: Int? = nil, input: Int? = nil) throws(ModelError) {
        guard actual.dimensions != expected else { return }
        let text = "[" + expected.map(String.init).joined(separator: ", ") + "]"
        throw error(.shapeMismatch, "\(Self.role(input: input, output: output)) has shape \(actual), expected \(text)",
                    field: "shape", input: input, output: output)
    }

    /// Requires a tensor of the given rank.
    public func requireRank(_ tensor: Tensor, _ rank: Int, input: Int? = nil, output: Int? = nil) throws(ModelError) {
        guard tensor.shape.rank == rank else {
            throw error(.shapeMismatch, "\(Self.role(input: input, output: output)) must have rank \(rank), has shape \(tensor.shape)",
                        field: "shape", input: input, output: output)
        }
    }

    /// The common rules of a one-input int8 operator: one input, one output, both int8 with per-tensor
    /// quantization (and, with `sameShape`, equal shapes). Returns the two tensors.
    public func requireUnaryInt8(sameShape: Bool = true) throws(ModelError) -> (input: Tensor, output: Tensor) {
        try requireArity(inputs: 1...1)
        let input = try requiredInput(0)
        let output = self.output(0)
        try requireType(input, .int8, input: 0)
        try requireType(output, .int8, output: 0)
        _ = try requirePerTensorQuantization(input, input: 0)
        _ = try requirePerTensorQuantization(output, output: 0)
        if sameShape { try requireSameShape(output.shape, input.shape, output: 0) }
        return (input, output)
    }

    static func role(input: Int?, output: Int?) -> String {
        if let input { return "input \(input)" }
        if let output { return "output \(output)" }
        return "tensor"
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }
}
