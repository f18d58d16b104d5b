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

    /// Checks fields, types, shapes and quantization (TFLite's depthwise Prepare rules, int8 per-channel path).
    ///
    /// Input `[N, H, W, C]`, filter `[1, KH, KW, C · m]` (per-channel scales along axis 3), bias `[C · m]`,
    /// output `[N, OH, OW, C · m]`, one requantization per output channel.
    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
        try Conv2DOptions.requireWindowField(strideHeight, "stride_height", context)
        try Conv2DOptions.requireWindowField(strideWidth, "stride_width", context)
        try Conv2DOptions.requireWindowField(dilationHeight, "dilation_height", context)
        try Conv2DOptions.requireWindowField(dilationWidth, "dilation_width", context)
        try Conv2DOptions.requireWindowField(depthMultiplier, "depth_multiplier", context)
        try Conv2DOptions.requirePadding(padding, context)
        try Conv2DOptions.requireActivation(activation, context)

        let input = try context.requiredInput(0)
        let filter = try context.requiredInput(1)
        let output = context.output(0)
        try Conv2DOptions.requireInt8Activation(input, rank: 4, context, input: 0)
        try Conv2DOptions.requireInt8Activation(output, rank: 4, context, output: 0)
        try context.requireType(filter, .int8, input: 1)
        try context.requireRank(filter, 4, input: 1)

        let outputChannels = input.shape[3] * Int(depthMultiplier)
        guard filter.shape[0] == 1, filter.shape[3] == outputChannels else {
            throw context.error(.shapeMismatch, "filter has shape \(filter.shape), expected [1, KH, KW, \(outputChannels)] (\(input.shape[3]) channels × depth multiplier \(depthMultiplier))",
                                field: "shape", input: 1)
        }
        try Conv2DOptions.requireSymmetricFilter(filter, channelAxis: 3, context)
        try Conv2DOptions.requireBias(channels: outputChannels, context)

        let outputHeight = try Conv2DOptions.requireOutputExtent(
            input: input.shape[1], filter: filter.shape[1], stride: strideHeight, dilation: dilationHeight,
            before: padding.top, after: padding.bottom, axis: "height", context)
        let outputWidth = try Conv2DOptions.requireOutputExtent(
            input: input.shape[2], filter: filter.shape[2], stride: strideWidth, dilation: dilationWidth,
            before: padding.left, after: padding.right, axis: "width", context)
        try context.requireShape(output.shape, [input.shape[0], outputHeight, outputWidth, outputChannels], output: 0)
        try Conv2DOptions.requireRequantizations(requantization, counts: [outputChannels], context)
    }
}

// MARK: - Writer-side factory

extension DepthwiseConv2DOptions {
    /// Options with the integer parameters TFLite's depthwise Prepare derives from the float scales
    /// (per channel `double(s_in) · double(s_w[c]) / double(s_out)`, see
    /// ``Conv2DOptions/perChannelRequantization(inputScale:filterScales:outputScale:channels:)``).
    ///
    /// - Parameter outputChannels: input channels × depth multiplier (the filter's last dimension).
    public static func make(inputScale: Float, filterScales: [Float], outputScale: Float, outputZeroPoint: Int32,
                            outputChannels: Int, depthMultiplier: Int32 = 1, activation: FusedActivation = .none,
                            strideHeight: Int32 = 1, strideWidth: Int32 = 1, dilationHeight: Int32 = 1,
                            dilationWidth: Int32 = 1, padding: Padding2D = .zero) -> DepthwiseConv2DOptions {
        DepthwiseConv2DOptions(
            strideHeight: strideHeight, strideWidth: strideWidth, dilationHeight: dilationHeight, dilationWidth: dilationWidth,
            padding: padding, depthMultiplier: depthMultiplier,
            activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint),
            requantization: Conv2DOptions.perChannelRequantization(inputScale: inputScale, filterScales: filterScales,
                                                                   outputScale: outputScale, channels: outputChannels))
    }
}
