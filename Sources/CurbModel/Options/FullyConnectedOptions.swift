/// Options of an int8 fully connected layer.
///
/// Inputs: 0 input (any shape whose element count is a multiple of the filter's depth `D`), 1 filter
/// `[O, D]` symmetric int8, 2 bias `[O]` int32 (optional). Output `[B, O]` (or the input's leading shape
/// with the last dimension replaced by O), where `B = input elements / D`.
public struct FullyConnectedOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.fullyConnected

    public var activation: ActivationRange
    /// One for per-tensor weights, or one per output channel.
    public var requantization: [Requantization]

    public init(activation: ActivationRange = .int8, requantization: [Requantization]) {
        self.activation = activation
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        activation.encode(into: &writer)
        Requantization.encodeArray(requantization, into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> FullyConnectedOptions {
        FullyConnectedOptions(activation: try ActivationRange.decode(from: &reader),
                              requantization: try Requantization.decodeArray(from: &reader, field: "requantization", maximum: 1 << 16))
    }

    /// Checks types, shapes and quantization (TFLite's FC Prepare rules, int8 path).
    ///
    /// Filter `[O, D]` int8 symmetric (one scale, or one per output channel along axis 0); the input's
    /// element count must be a multiple of `D` (batches `B` = elements / D); output `[B, O]`, or the input's
    /// shape with its last dimension (which must be `D`) replaced by `O` (TFLite's `keep_num_dims`); bias `[O]`.
    /// Requantizations: one per output channel, or a single one when the filter has a single scale.
    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...3)
        try Conv2DOptions.requireActivation(activation, context)

        let input = try context.requiredInput(0)
        let filter = try context.requiredInput(1)
        let output = context.output(0)
        try Conv2DOptions.requireInt8Activation(input, rank: nil, context, input: 0)
        try Conv2DOptions.requireInt8Activation(output, rank: nil, context, output: 0)
        try context.requireType(filter, .int8, input: 1)
        try context.requireRank(filter, 2, input: 1)
        guard input.shape.rank >= 1 else {
            throw context.error(.shapeMismatch, "the input must have rank ≥ 1", field: "shape", input: 0)
        }

        let units = filter.shape[0]
        let depth = filter.shape[1]
        let elements = input.shape.elementCount
        guard elements % depth == 0 else {
            throw context.error(.shapeMismatch, "input \(input.shape) has \(elements) elements, not a multiple of the filter depth \(depth)",
                                field: "shape", input: 0)
        }
        let batches = elements / depth
        try Conv2DOptions.requireSymmetricFilter(filter, channelAxis: 0, context)
        try Conv2DOptions.requireBias(channels: units, context)

        var keptShape = input.shape.dimensions
        keptShape[keptShape.count - 1] = units
        let flattened = TensorShape([batches, units])
        let keepsDimensions = input.shape[input.shape.rank - 1] == depth && output.shape == TensorShape(keptShape)
        guard output.shape == flattened || keepsDimensions else {
            throw context.error(.shapeMismatch, "output has shape \(output.shape), expected \(flattened) or \(TensorShape(keptShape))",
                                field: "shape", output: 0)
        }
        let perChannel = filter.quantization?.isPerChannel ?? false
        try Conv2DOptions.requireRequantizations(requantization, counts: perChannel ? [units] : [1, units], context)
    }
}

// MARK: - Writer-side factory

extension FullyConnectedOptions {
    /// Options with the integer parameters TFLite's FC Prepare derives from the float scales.
    ///
    /// One filter scale takes TFLite's per-tensor path, `GetQuantizedConvolutionMultipler`:
    /// `double(s_in · s_w) / double(s_out)` with the product rounded to **float** first (one requantization).
    /// Several take the per-channel path, `double(s_in) · double(s_w[c]) / double(s_out)` (one per channel).
    public static func make(inputScale: Float, filterScales: [Float], outputScale: Float, outputZeroPoint: Int32,
                            activation: FusedActivation = .none) -> FullyConnectedOptions {
        precondition(!filterScales.isEmpty, "a filter needs at least one scale")
        let requantization: [Requantization]
        if filterScales.count == 1 {
            let product = inputScale * filterScales[0]
            requantization = [QuantizationMath.quantizeMultiplier(Double(product) / Double(outputScale))]
        } else {
            requantization = Conv2DOptions.perChannelRequantization(inputScale: inputScale, filterScales: filterScales,
                                                                    outputScale: outputScale, channels: filterScales.count)
        }
        return FullyConnectedOptions(
            activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint),
            requantization: requantization)
    }
}
