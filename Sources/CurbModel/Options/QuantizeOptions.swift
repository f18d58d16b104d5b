/// Options of QUANTIZE: float32 → int8 (`round(x / scale) + zero point`, no options needed), or
/// int8 → int8 requantization with `requantization = s_in / s_out`.
public struct QuantizeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.quantize

    /// Used only for int8 → int8; `.zero` for float input.
    public var requantization: Requantization

    public init(requantization: Requantization = .zero) {
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        requantization.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> QuantizeOptions {
        QuantizeOptions(requantization: try Requantization.decode(from: &reader, field: "requantization"))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
