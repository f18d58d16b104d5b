/// Options of int8 average and max pooling (input and output share scale and zero point).
public struct Pool2DOptions: OperatorOptionsCoding {
    /// Pool options serve two operators; the graph stores the kind, this is only the default.
    public static let kind = OperatorKind.averagePool2D

    public var filterHeight: Int32
    public var filterWidth: Int32
    public var strideHeight: Int32
    public var strideWidth: Int32
    public var padding: Padding2D
    public var activation: ActivationRange

    public init(filterHeight: Int32, filterWidth: Int32, strideHeight: Int32 = 1, strideWidth: Int32 = 1,
                padding: Padding2D = .zero, activation: ActivationRange = .int8) {
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padding = padding
        self.activation = activation
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(filterHeight); writer.int32(filterWidth)
        writer.int32(strideHeight); writer.int32(strideWidth)
        padding.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> Pool2DOptions {
        let window: ClosedRange<Int32> = 1...65_535
        return Pool2DOptions(
            filterHeight: try reader.int32("filter_height", in: window), filterWidth: try reader.int32("filter_width", in: window),
            strideHeight: try reader.int32("stride_height", in: window), strideWidth: try reader.int32("stride_width", in: window),
            padding: try Padding2D.decode(from: &reader), activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
