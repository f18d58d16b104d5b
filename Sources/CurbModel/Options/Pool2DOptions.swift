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

    /// Checks fields, types, shapes and quantization (TFLite's pooling Prepare rules, int8).
    ///
    /// Input and output `[N, H, W, C]` int8 with the same zero point and scales within 1e-6
    /// (`TF_LITE_ENSURE_NEAR`); output `[N, OH, OW, C]` exactly what the window, stride and padding give; and
    /// every window must cover at least one input element (padding smaller than the filter, last window
    /// starting inside the input), so average pooling never divides by zero.
    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        try Conv2DOptions.requireWindowField(filterHeight, "filter_height", context)
        try Conv2DOptions.requireWindowField(filterWidth, "filter_width", context)
        try Conv2DOptions.requireWindowField(strideHeight, "stride_height", context)
        try Conv2DOptions.requireWindowField(strideWidth, "stride_width", context)
        try Conv2DOptions.requirePadding(padding, context)
        try Conv2DOptions.requireActivation(activation, context)

        let input = try context.requiredInput(0)
        let output = context.output(0)
        let inputQuantization = try Conv2DOptions.requireInt8Activation(input, rank: 4, context, input: 0)
        let outputQuantization = try Conv2DOptions.requireInt8Activation(output, rank: 4, context, output: 0)
        guard inputQuantization.zeroPoint == outputQuantization.zeroPoint else {
            throw context.error(.quantization, "input zero point \(inputQuantization.zeroPoint) differs from the output's \(outputQuantization.zeroPoint)",
                                field: "zero_point", output: 0)
        }
        let (inputScale, outputScale) = (inputQuantization.scale, outputQuantization.scale)
        let delta = inputScale > outputScale ? inputScale - outputScale : outputScale - inputScale
        guard Double(delta) <= 1.0e-6 else {
            throw context.error(.quantization, "input scale \(inputScale) and output scale \(outputScale) differ by more than 1e-6",
                                field: "scale", output: 0)
        }

        let outputHeight = try Conv2DOptions.requireOutputExtent(
            input: input.shape[1], filter: Int(filterHeight), stride: strideHeight, dilation: 1, before: padding.top,
            after: padding.bottom, axis: "height", context)
        let outputWidth = try Conv2DOptions.requireOutputExtent(
            input: input.shape[2], filter: Int(filterWidth), stride: strideWidth, dilation: 1, before: padding.left,
            after: padding.right, axis: "width", context)
        try context.requireShape(output.shape, [input.shape[0], outputHeight, outputWidth, input.shape[3]], output: 0)
        try requireNonEmptyWindows(input: input.shape[1], filter: Int(filterHeight), stride: Int(strideHeight),
                                   before: Int(padding.top), output: outputHeight, axis: "height", context)
        try requireNonEmptyWindows(input: input.shape[2], filter: Int(filterWidth), stride: Int(strideWidth),
                                   before: Int(padding.left), output: outputWidth, axis: "width", context)
    }

    /// Windows start at `o · stride − before`; the first ends after 0 when `before < filter`, the last starts
    /// before the input's end, and every window in between lies between those two.
    private func requireNonEmptyWindows(input: Int, filter: Int, stride: Int, before: Int, output: Int, axis: String,
                                        _ context: OperatorContext) throws(ModelError) {
        guard before < filter, (output - 1) * stride - before < input else {
            throw context.error(.invalidValue, "some \(axis) windows lie entirely in the padding (padding \(before), filter \(filter))",
                                field: "padding")
        }
    }
}

// MARK: - Writer-side factory

extension Pool2DOptions {
    /// Options for an int8 pool whose output has `outputScale` and `outputZeroPoint` (the input's), with the
    /// fused activation's clamp as TFLite's `CalculateActivationRangeQuantized` computes it.
    public static func make(filterHeight: Int32, filterWidth: Int32, strideHeight: Int32 = 1, strideWidth: Int32 = 1,
                            padding: Padding2D = .zero, outputScale: Float, outputZeroPoint: Int32,
                            activation: FusedActivation = .none) -> Pool2DOptions {
        Pool2DOptions(filterHeight: filterHeight, filterWidth: filterWidth, strideHeight: strideHeight, strideWidth: strideWidth,
                      padding: padding,
                      activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint))
    }
}
