/// Options of an int8 mean over axes (height and width of an NHWC tensor in practice).
public struct MeanOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.mean

    /// The reduced axes, ascending.
    public var axes: [Int32]
    /// Rescales the (zero-point corrected) sum to the output.
    public var requantization: Requantization

    public init(axes: [Int32], requantization: Requantization) {
        self.axes = axes
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(axes)
        requantization.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> MeanOptions {
        MeanOptions(axes: try reader.int32Array("axes", maximum: TensorShape.maximumRank),
                    requantization: try Requantization.decode(from: &reader, field: "requantization"))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
