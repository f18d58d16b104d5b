/// Options of an int8 2-D convolution (NHWC input, OHWI filter, optional int32 bias).
///
/// Inputs: 0 input `[N, H, W, C]`, 1 filter `[O, KH, KW, C / groups]` (per-channel symmetric int8),
/// 2 bias `[O]` int32 (optional). Output `[N, OH, OW, O]`. Groups are `C / filter channels`.
public struct Conv2DOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.conv2D

    public var strideHeight: Int32
    public var strideWidth: Int32
    public var dilationHeight: Int32
    public var dilationWidth: Int32
    public var padding: Padding2D
    public var activation: ActivationRange
    /// One per output channel.
    public var requantization: [Requantization]

    public init(strideHeight: Int32 = 1, strideWidth: Int32 = 1, dilationHeight: Int32 = 1, dilationWidth: Int32 = 1,
                padding: Padding2D = .zero, activation: ActivationRange = .int8, requantization: [Requantization]) {
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.padding = padding
        self.activation = activation
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(strideHeight); writer.int32(strideWidth)
        writer.int32(dilationHeight); writer.int32(dilationWidth)
        padding.encode(into: &writer)
        activation.encode(into: &writer)
        Requantization.encodeArray(requantization, into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> Conv2DOptions {
        let window: ClosedRange<Int32> = 1...65_535
        return Conv2DOptions(
            strideHeight: try reader.int32("stride_height", in: window), strideWidth: try reader.int32("stride_width", in: window),
            dilationHeight: try reader.int32("dilation_height", in: window), dilationWidth: try reader.int32("dilation_width", in: window),
            padding: try Padding2D.decode(from: &reader), activation: try ActivationRange.decode(from: &reader),
            requantization: try Requantization.decodeArray(from: &reader, field: "requantization", maximum: 1 << 16))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
    }
}
