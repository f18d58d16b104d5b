/// Reshape has no options: the output tensor's shape is the new shape (same element count and type).
public struct ReshapeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.reshape

    public init() {}

    public func encode(into writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> ReshapeOptions { ReshapeOptions() }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
