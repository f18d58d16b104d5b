/// The model's graph (`SubGraph` table: tensors (0), inputs (1), outputs (2), operators (3), name (4)).
public struct TFLiteSubGraph: Sendable, Equatable {
    public var tensors: [TFLiteTensor]
    /// Indices of the graph's input tensors (checked against `tensors`).
    public var inputs: [Int]
    /// Indices of the graph's output tensors (checked against `tensors`).
    public var outputs: [Int]
    /// The operators, in execution order.
    public var operators: [TFLiteOperator]
    public var name: String?

    public init(tensors: [TFLiteTensor], inputs: [Int], outputs: [Int], operators: [TFLiteOperator],
                name: String?) {
        self.tensors = tensors
        self.inputs = inputs
        self.outputs = outputs
        self.operators = operators
        self.name = name
    }
}
