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

    /// Checks fields, types, shapes and quantization (TFLite's conv Prepare rules, int8 per-channel path).
    ///
    /// Input `[N, H, W, C]`, filter `[O, KH, KW, C / groups]` with `groups` dividing both `C` and `O`, bias
    /// `[O]` int32, output `[N, OH, OW, O]` with `OH, OW` exactly what stride, dilation and padding give, and
    /// one requantization per output channel.
    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
        try Self.requireWindowField(strideHeight, "stride_height", context)
        try Self.requireWindowField(strideWidth, "stride_width", context)
        try Self.requireWindowField(dilationHeight, "dilation_height", context)
        try Self.requireWindowField(dilationWidth, "dilation_width", context)
        try Self.requirePadding(padding, context)
        try Self.requireActivation(activation, context)

        let input = try context.requiredInput(0)
        let filter = try context.requiredInput(1)
        let output = context.output(0)
        try Self.requireInt8Activation(input, rank: 4, context, input: 0)
        try Self.requireInt8Activation(output, rank: 4, context, output: 0)
        try context.requireType(filter, .int8, input: 1)
        try context.requireRank(filter, 4, input: 1)

        let inputChannels = input.shape[3]
        let outputChannels = filter.shape[0]
        let filterChannels = filter.shape[3]
        guard inputChannels % filterChannels == 0 else {
            throw context.error(.shapeMismatch, "input channels \(inputChannels) are not a multiple of the filter's \(filterChannels)",
                                field: "shape", input: 1)
        }
        let groups = inputChannels / filterChannels
        guard outputChannels % groups == 0 else {
            throw context.error(.shapeMismatch, "output channels \(outputChannels) are not a multiple of the \(groups) groups",
                                field: "shape", input: 1)
        }
        try Self.requireSymmetricFilter(filter, channelAxis: 0, context)
        try Self.requireBias(channels: outputChannels, context)

        let outputHeight = try Self.requireOutputExtent(input: input.shape[1], filter: filter.shape[1], stride: strideHeight,
                                                        dilation: dilationHeight, before: padding.top, after: padding.bottom,
                                                        axis: "height", context)
        let outputWidth = try Self.requireOutputExtent(input: input.shape[2], filter: filter.shape[2], stride: strideWidth,
                                                       dilation: dilationWidth, before: padding.left, after: padding.right,
                                                       axis: "width", context)
        try context.requireShape(output.shape, [input.shape[0], outputHeight, outputWidth, outputChannels], output: 0)
        try Self.requireRequantizations(requantization, counts: [outputChannels], context)
    }
}

// MARK: - Writer-side factory

extension Conv2DOptions {
    /// Options with the integer parameters TFLite's conv Prepare derives from the float scales.
    ///
    /// - Parameters:
    ///   - filterScales: one scale per output channel, or one for the whole filter (broadcast, as TFLite does).
    ///   - outputChannels: the filter's first dimension.
    public static func make(inputScale: Float, filterScales: [Float], outputScale: Float, outputZeroPoint: Int32,
                            outputChannels: Int, activation: FusedActivation = .none, strideHeight: Int32 = 1,
                            strideWidth: Int32 = 1, dilationHeight: Int32 = 1, dilationWidth: Int32 = 1,
                            padding: Padding2D = .zero) -> Conv2DOptions {
        Conv2DOptions(strideHeight: strideHeight, strideWidth: strideWidth, dilationHeight: dilationHeight,
                      dilationWidth: dilationWidth, padding: padding,
                      activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint),
                      requantization: perChannelRequantization(inputScale: inputScale, filterScales: filterScales,
                                                               outputScale: outputScale, channels: outputChannels))
    }

    /// TFLite `PopulateConvolutionQuantizationParams`: for each channel
    /// `QuantizeMultiplier(double(s_in) · double(s_w[c]) / double(s_out))`, evaluated left to right in double;
    /// a single filter scale is broadcast to every channel. Shared by conv, depthwise and per-channel FC.
    public static func perChannelRequantization(inputScale: Float, filterScales: [Float], outputScale: Float,
                                                channels: Int) -> [Requantization] {
        precondition(filterScales.count == 1 || filterScales.count == channels,
                     "\(filterScales.count) filter scales for \(channels) channels")
        return (0..<channels).map { channel in
            let filterScale = filterScales.count == 1 ? filterScales[0] : filterScales[channel]
            return QuantizationMath.quantizeMultiplier(Double(inputScale) * Double(filterScale) / Double(outputScale))
        }
    }
}

// MARK: - Rules shared by the convolution family and pooling

extension Conv2DOptions {
    /// Strides, dilations, filter sizes and depth multipliers: 1...65535 (the decoder's range; in-memory models skip it).
    static func requireWindowField(_ value: Int32, _ field: String, _ context: OperatorContext) throws(ModelError) {
        guard (1...65_535).contains(value) else {
            throw context.error(.invalidValue, "\(field) is \(value), must be in 1...65535", field: field)
        }
    }

    /// Each padding in 0...65535.
    static func requirePadding(_ padding: Padding2D, _ context: OperatorContext) throws(ModelError) {
        for (value, field) in [(padding.top, "padding.top"), (padding.left, "padding.left"),
                               (padding.bottom, "padding.bottom"), (padding.right, "padding.right")]
        where !(0...65_535).contains(value) {
            throw context.error(.invalidValue, "\(field) is \(value), must be in 0...65535", field: field)
        }
    }

    /// Clamp bounds inside int8 with minimum ≤ maximum.
    static func requireActivation(_ range: ActivationRange, _ context: OperatorContext) throws(ModelError) {
        guard (-128...127).contains(range.minimum), (-128...127).contains(range.maximum), range.minimum <= range.maximum else {
            throw context.error(.invalidValue, "activation range \(range.minimum)...\(range.maximum) is not an int8 range",
                                field: "activation")
        }
    }

    /// An int8 activation tensor of `rank` (nil: any rank) with one scale and an int8 zero point.
    @discardableResult
    static func requireInt8Activation(_ tensor: Tensor, rank: Int?, _ context: OperatorContext, input: Int? = nil,
                                      output: Int? = nil) throws(ModelError) -> Quantization {
        try context.requireType(tensor, .int8, input: input, output: output)
        if let rank { try context.requireRank(tensor, rank, input: input, output: output) }
        return try context.requirePerTensorQuantization(tensor, input: input, output: output)
    }

    /// Input 1 as TFLite's int8 weights: quantized with zero point 0, and either one scale or one scale per
    /// channel along `channelAxis` (0 for conv and FC, 3 for depthwise).
    static func requireSymmetricFilter(_ filter: Tensor, channelAxis: Int, _ context: OperatorContext) throws(ModelError) {
        guard let quantization = filter.quantization else {
            throw context.error(.quantization, "the filter needs quantization scales", field: "quantization", input: 1)
        }
        guard quantization.zeroPoint == 0 else {
            throw context.error(.quantization, "the filter must be symmetric (zero point 0), has \(quantization.zeroPoint)",
                                field: "zero_point", input: 1)
        }
        if quantization.isPerChannel {
            let channels = filter.shape[channelAxis]
            guard Int(quantization.axis) == channelAxis, quantization.scales.count == channels else {
                throw context.error(.quantization, "per-channel filter scales must lie along axis \(channelAxis) (\(channels) channels), found \(quantization.scales.count) along axis \(quantization.axis)",
                                    field: "axis", input: 1)
            }
        }
    }

    /// Optional input 2: int32 `[channels]`, zero point 0 when quantized.
    static func requireBias(channels: Int, _ context: OperatorContext) throws(ModelError) {
        guard context.inputIndices.count > 2, let bias = context.input(2) else { return }
        try context.requireType(bias, .int32, input: 2)
        try context.requireSameShape(bias.shape, TensorShape([channels]), input: 2)
        if let quantization = bias.quantization, quantization.zeroPoint != 0 {
            throw context.error(.quantization, "the bias must have zero point 0, has \(quantization.zeroPoint)",
                                field: "zero_point", input: 2)
        }
    }

    /// The output extent along one axis, or a located error when the window does not fit the padded input.
    static func requireOutputExtent(input: Int, filter: Int, stride: Int32, dilation: Int32, before: Int32, after: Int32,
                                    axis: String, _ context: OperatorContext) throws(ModelError) -> Int {
        guard let extent = Padding2D.outputExtent(input: input, filter: filter, stride: Int(stride), dilation: Int(dilation),
                                                  before: Int(before), after: Int(after)) else {
            throw context.error(.shapeMismatch, "a window of \(filter) taps (dilation \(dilation)) does not fit the \(axis) \(input) padded by \(before)+\(after)",
                                field: "shape", input: 0)
        }
        return extent
    }

    /// One of the allowed counts, each multiplier ≥ 0 and each shift in ``Requantization/shiftRange``.
    static func requireRequantizations(_ values: [Requantization], counts: [Int], _ context: OperatorContext) throws(ModelError) {
        guard counts.contains(values.count) else {
            let expected = counts.map(String.init).joined(separator: " or ")
            throw context.error(.invalidValue, "has \(values.count) requantizations, expected \(expected)", field: "requantization")
        }
        for value in values {
            try requireRequantization(value, field: "requantization", context)
        }
    }

    /// A multiplier ≥ 0 and a shift in ``Requantization/shiftRange``.
    static func requireRequantization(_ value: Requantization, field: String, _ context: OperatorContext) throws(ModelError) {
        guard value.multiplier >= 0, Requantization.shiftRange.contains(value.shift) else {
            throw context.error(.invalidValue, "requantization (\(value.multiplier), \(value.shift)) is out of range", field: field)
        }
    }
}
