/// Options of an int8 elementwise multiplication with numpy broadcasting (TFLite `integer_ops/mul.h`).
///
/// `y = clamp(zp_out + MBQM((x1 − zp1)·(x2 − zp2), output))`; the shape rules are Add's.
public struct MulOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.mul

    /// `s1 · s2 / s_out` in fixed point (any shift).
    public var output: Requantization
    public var activation: ActivationRange

    public init(output: Requantization, activation: ActivationRange = .int8) {
        self.output = output
        self.activation = activation
    }

    /// Computes the options as TFLite's `mul.cc` Prepare does: `s1 · s2 / s_out` evaluated in **float**,
    /// then widened and quantized with `QuantizeMultiplier`.
    public static func make(input1Scale: Float, input2Scale: Float, outputScale: Float, outputZeroPoint: Int32,
                            activation: FusedActivation = .none) throws(ModelError) -> MulOptions {
        try AddOptions.requirePositiveScales([input1Scale, input2Scale, outputScale], field: "scales")
        let real = Double(input1Scale * input2Scale / outputScale)
        let requantization = QuantizationMath.quantizeMultiplier(real)
        guard Requantization.shiftRange.contains(requantization.shift) else {
            throw ModelError(.quantization, "mul: multiplier \(real) is out of range", field: "output")
        }
        return MulOptions(output: requantization,
                          activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint))
    }

    public func encode(into writer: inout ByteWriter) {
        output.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> MulOptions {
        MulOptions(output: try Requantization.decode(from: &reader, field: "output"),
                   activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try AddOptions.validateBinaryBroadcast(context)
    }
}
