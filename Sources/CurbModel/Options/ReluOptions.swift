/// Options of int8 ReLU and ReLU6 as operators of their own: they requantize from the input's scale to
/// the output's and clamp (TFLite `ReluX`).
public struct ReluOptions: OperatorOptionsCoding {
    /// Relu options serve two operators; the graph stores the kind, this is only the default.
    public static let kind = OperatorKind.relu

    /// `s_in / s_out`.
    public var requantization: Requantization
    /// The clamp: quantized 0 (and 6 for ReLU6) in the output's scale.
    public var activation: ActivationRange

    public init(requantization: Requantization, activation: ActivationRange) {
        self.requantization = requantization
        self.activation = activation
    }

    public func encode(into writer: inout ByteWriter) {
        requantization.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> ReluOptions {
        ReluOptions(requantization: try Requantization.decode(from: &reader, field: "requantization"),
                    activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
