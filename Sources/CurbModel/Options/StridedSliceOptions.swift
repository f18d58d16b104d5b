/// Options of a static strided slice: masks already resolved by the writer into per-axis
/// `begin`, `end` (exclusive) and `stride` (non-zero, may be negative).
public struct StridedSliceOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.stridedSlice

    public var begin: [Int32]
    public var end: [Int32]
    public var strides: [Int32]

    public init(begin: [Int32], end: [Int32], strides: [Int32]) {
        self.begin = begin
        self.end = end
        self.strides = strides
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(begin)
        writer.int32Array(end)
        writer.int32Array(strides)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> StridedSliceOptions {
        StridedSliceOptions(begin: try reader.int32Array("begin", maximum: TensorShape.maximumRank),
                            end: try reader.int32Array("end", maximum: TensorShape.maximumRank),
                            strides: try reader.int32Array("strides", maximum: TensorShape.maximumRank))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
