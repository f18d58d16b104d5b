/// Options of an int8 fully connected layer.
///
/// Inputs: 0 input (any shape whose element count is a multiple of the filter's depth `D`), 1 filter
/// `[O, D]` symmetric int8, 2 bias `[O]` int32 (optional). Output `[B, O]` (or the input's leading shape
/// with the last dimension replaced by O), where `B = input elements / D`.
public struct FullyConnectedOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.fullyConnected

    public var activation: ActivationRange
    /// One for per-tensor weights, or one per output channel.
    public var requantization: [Requantization]

    public init(activation: ActivationRange = .int8, requantization: [Requantization]) {
        self.activation = activation
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        activation.encode(into: &writer)
        Requantization.encodeArray(requantization, into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> FullyConnectedOptions {
        FullyConnectedOptions(activation: try ActivationRange.decode(from: &reader),
                              requantization: try Requantization.decodeArray(from: &reader, field: "requantization", maximum: 1 << 16))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
    }
}
