/// DEQUANTIZE has no options: int8 → float32 with the input's scale and zero point.
public struct DequantizeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.dequantize

    public init() {}

    public func encode(into writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> DequantizeOptions { DequantizeOptions() }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
