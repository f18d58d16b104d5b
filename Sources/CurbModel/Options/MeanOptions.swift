/// Options of an int8 mean over axes (height and width of an NHWC tensor in practice).
///
/// Arithmetic (LiteRT's `kReference` MEAN for int8, `reference_ops::QuantizedMeanOrSum`, which TFLM shares):
/// the stored ``requantization`` is TFLite Prepare's `QuantizeMultiplier(double(s_in) / double(s_out))`; the
/// kernel folds `1 / N` into it with integer arithmetic and rescales `Σ x − zp_in · N`. `keepDims` only
/// decides the output's shape.
public struct MeanOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.mean

    /// The reduced axes, strictly ascending, each in `0..<input rank` (negative axes are normalised by the writer).
    public var axes: [Int32]
    /// Whether reduced axes stay in the output as 1s (TFLite's `keep_dims`) or are removed.
    public var keepDims: Bool
    /// `QuantizeMultiplier(s_in / s_out)`, before the division by the reduced count.
    public var requantization: Requantization

    public init(axes: [Int32], keepDims: Bool = true, requantization: Requantization) {
        self.axes = axes
        self.keepDims = keepDims
        self.requantization = requantization
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(axes)
        writer.int32(keepDims ? 1 : 0)
        requantization.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> MeanOptions {
        let axes = try reader.int32Array("axes", maximum: TensorShape.maximumRank)
        for axis in axes where !(0..<Int32(TensorShape.maximumRank)).contains(axis) {
            throw reader.error(.invalidValue, "axis \(axis) is outside 0..<\(TensorShape.maximumRank)", field: "axes")
        }
        let keepDims = try reader.int32("keep_dims", in: 0...1) == 1
        return MeanOptions(axes: axes, keepDims: keepDims,
                           requantization: try Requantization.decode(from: &reader, field: "requantization"))
    }

    /// Checks axes, types, shapes and quantization.
    ///
    /// Input int8 of any rank ≥ 1; axes strictly ascending inside the input's rank; output int8 with the input's
    /// shape where reduced axes are 1 (`keepDims`) or removed; one scale and zero point on each side.
    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        try Conv2DOptions.requireRequantization(requantization, field: "requantization", context)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try Conv2DOptions.requireInt8Activation(input, rank: nil, context, input: 0)
        try Conv2DOptions.requireInt8Activation(output, rank: nil, context, output: 0)
        guard axes.count <= input.shape.rank else {
            throw context.error(.invalidValue, "\(axes.count) axes for a rank-\(input.shape.rank) input", field: "axes")
        }
        var previous: Int32 = -1
        for axis in axes {
            guard axis > previous, Int(axis) < input.shape.rank else {
                throw context.error(.invalidValue, "axes \(axes) must be strictly ascending and below the input rank \(input.shape.rank)",
                                    field: "axes")
            }
            previous = axis
        }
        var expected: [Int] = []
        for dimension in 0..<input.shape.rank {
            if axes.contains(Int32(dimension)) {
                if keepDims { expected.append(1) }
            } else {
                expected.append(input.shape[dimension])
            }
        }
        try context.requireSameShape(output.shape, TensorShape(expected), output: 0)
    }
}

// MARK: - Writer-side factory

extension MeanOptions {
    /// Options with TFLite Prepare's multiplier `QuantizeMultiplier(double(s_in) / double(s_out))`.
    public static func make(axes: [Int32], keepDims: Bool = true, inputScale: Float, outputScale: Float) -> MeanOptions {
        MeanOptions(axes: axes, keepDims: keepDims,
                    requantization: QuantizationMath.quantizeMultiplier(Double(inputScale) / Double(outputScale)))
    }
}
