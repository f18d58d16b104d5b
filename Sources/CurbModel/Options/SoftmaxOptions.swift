/// Options of the int8 fixed-point softmax over the last axis: TFLite's `Register_SOFTMAX_REF`
/// (`reference/softmax.h`, gemmlowp exp and reciprocal), which TFLM also uses. TFLite's default
/// optimized kernel uses a float table instead and can differ by one.
///
/// Input int8 of rank ≥ 1; output int8 of the same shape with zero point −128 and scale exactly 1/256
/// (the kernel assumes that output scale; TFLite tolerates ±0.1 %, we require it exactly).
public struct SoftmaxOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.softmax

    /// `beta · s_in · 2^26` as a greater-than-one multiplier.
    public var inputMultiplier: Int32
    public var inputLeftShift: Int32
    /// Differences below this are treated as exp(−∞) = 0.
    public var diffMinimum: Int32

    public init(inputMultiplier: Int32, inputLeftShift: Int32, diffMinimum: Int32) {
        self.inputMultiplier = inputMultiplier
        self.inputLeftShift = inputLeftShift
        self.diffMinimum = diffMinimum
    }

    /// Integer bits of the scaled input difference (Q5.26), as in TFLite.
    public static let scaledDifferenceIntegerBits = 5

    /// Computes the options as TFLite's `SoftmaxPrepare` (kReference) does: `PreprocessSoftmaxScaling`
    /// (`min(beta · s_in · 2^26, 2^31 − 1)` in double, `QuantizeMultiplierGreaterThanOne`) and
    /// `diff_min = −CalculateInputRadius(5, shift)` (`floor(31 · 2^26 / 2^shift)` in double).
    ///
    /// Throws when `beta · s_in · 2^26 ≤ 1` (TFLite would abort).
    public static func make(inputScale: Float, beta: Float = 1) throws(ModelError) -> SoftmaxOptions {
        try AddOptions.requirePositiveScales([inputScale], field: "scale")
        guard beta.isFinite, beta > 0 else {
            throw ModelError(.invalidValue, "softmax: beta \(beta) must be finite and positive", field: "beta")
        }
        let integerBits = scaledDifferenceIntegerBits
        let real = min(Double(beta) * Double(inputScale) * Double(Int64(1) << (31 - integerBits)),
                       Double((Int64(1) << 31) - 1))
        guard real > 1 else {
            throw ModelError(.quantization, "softmax: beta · input scale · 2^26 = \(real) must exceed 1",
                             field: "input_multiplier")
        }
        let requantization = QuantizationMath.quantizeMultiplier(real)
        let maximumRescaled = 1.0 * Double((1 << integerBits) - 1) * Double(Int64(1) << (31 - integerBits))
            / Double(Int64(1) << Int64(requantization.shift))
        let radius = Int32(maximumRescaled.rounded(.down))
        return SoftmaxOptions(inputMultiplier: requantization.multiplier, inputLeftShift: requantization.shift,
                              diffMinimum: -radius)
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(inputMultiplier)
        writer.int32(inputLeftShift)
        writer.int32(diffMinimum)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> SoftmaxOptions {
        SoftmaxOptions(inputMultiplier: try reader.int32("input_multiplier", in: 0...Int32.max),
                       inputLeftShift: try reader.int32("input_left_shift", in: 0...31),
                       diffMinimum: try reader.int32("diff_minimum", in: Int32.min...0))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(input, .int8, input: 0)
        try context.requireType(output, .int8, output: 0)
        _ = try context.requirePerTensorQuantization(input, input: 0)
        guard input.shape.rank >= 1 else {
            throw context.error(.shapeMismatch, "input must have rank ≥ 1", field: "shape", input: 0)
        }
        try context.requireSameShape(output.shape, input.shape, output: 0)
        try Self.requireProbabilityOutput(context, output)
    }

    /// The int8 output quantization softmax and logistic produce: zero point −128, scale exactly 1/256.
    static func requireProbabilityOutput(_ context: OperatorContext, _ output: Tensor) throws(ModelError) {
        let quantization = try context.requirePerTensorQuantization(output, output: 0)
        guard quantization.zeroPoint == -128 else {
            throw context.error(.quantization, "output zero point must be −128, is \(quantization.zeroPoint)",
                                field: "zero_point", output: 0)
        }
        guard quantization.scale == 1.0 / 256 else {
            throw context.error(.quantization, "output scale must be 1/256, is \(quantization.scale)",
                                field: "scales", output: 0)
        }
    }
}
