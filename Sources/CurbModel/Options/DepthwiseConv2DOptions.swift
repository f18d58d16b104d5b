/// Options of an int8 depthwise convolution.
///
/// Inputs: 0 input `[N, H, W, C]`, 1 filter `[1, KH, KW, C · depthMultiplier]`, 2 bias `[C · m]` int32
/// (optional). Output channel `c · m + j` reads input channel `c`.
public struct DepthwiseConv2DOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.depthwiseConv2D

    public var strideHeight: Int32
    public var strideWidth: Int32
    public var dilationHeight: Int32
    public var dilationWidth: Int32
    public var padding: Padding2D
    public var depthMultiplier: Int32
    public var activation: ActivationRange
    /// One per output channel.
    public var requantization: [Requantization]

    public init(strideHeight: Int32 = 1, strideWidth: Int32 = 1, dilationHeight: Int32 = 1, dilationWidth: Int32 = 1,
                padding: Padding2D = .zero, depthMultiplier: Int32 = 1, activation: ActivationRange = .int8,
                requantization: [Requantization]) {
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.padding = padding
        self.depthMultiplier = depthMultiplier
        self.activation = activation
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(strideHeight); writer.int32(strideWidth)
        writer.int32(dilationHeight); writer.int32(dilationWidth)
        padding.encode(into: &writer)
        writer.int32(depthMultiplier)
        activation.encode(into: &writer)
        Requantization.encodeArray(requantization, into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> DepthwiseConv2DOptions {
        let window: ClosedRange<Int32> = 1...65_535
        return DepthwiseConv2DOptions(
            strideHeight: try reader.int32("stride_height", in: window), strideWidth: try reader.int32("stride_width", in: window),
            dilationHeight: try reader.int32("dilation_height", in: window), dilationWidth: try reader.int32("dilation_width", in: window),
            padding: try Padding2D.decode(from: &reader), depthMultiplier: try reader.int32("depth_multiplier", in: window),
            activation: try ActivationRange.decode(from: &reader),
            requantization: try Requantization.decodeArray(from: &reader, field: "requantization", maximum: 1 << 16))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
    }
}
