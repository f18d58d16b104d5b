/// Options of a constant pad: `before[i]` and `after[i]` elements on each axis, filled with the
/// output's zero point (or an explicit value, PADV2).
public struct PadOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.pad

    public var before: [Int32]
    public var after: [Int32]
    /// The raw int8 value written into the padding.
    public var value: Int32

    public init(before: [Int32], after: [Int32], value: Int32) {
        self.before = before
        self.after = after
        self.value = value
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(before)
        writer.int32Array(after)
        writer.int32(value)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> PadOptions {
        PadOptions(before: try reader.int32Array("before", maximum: TensorShape.maximumRank),
                   after: try reader.int32Array("after", maximum: TensorShape.maximumRank),
                   value: try reader.int32("value", in: -128...127))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
