/// Options of QUANTIZE (TFLite `quantize.cc`, BUILTIN_REF):
/// - float32 → int8: `clamp(roundf(x / s_out) + zp_out)` (``requantization`` unused, must be zero);
/// - int8 → int8: `clamp(zp_out + MBQM(x − zp_in, requantization))` with `requantization = s_in / s_out`.
///
/// Same shape in and out; the output (and an int8 input) per-tensor quantized.
public struct QuantizeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.quantize

    /// Used only for int8 → int8; `.zero` for float input.
    public var requantization: Requantization

    public init(requantization: Requantization = .zero) {
        self.requantization = requantization
    }

    /// int8 → int8 requantization as TFLite's Prepare computes it: `double(s_in) / double(s_out)`, then
    /// `QuantizeMultiplier`.
    public static func requantize(inputScale: Float, outputScale: Float) throws(ModelError) -> QuantizeOptions {
        try AddOptions.requirePositiveScales([inputScale, outputScale], field: "scales")
        let requantization = QuantizationMath.quantizeMultiplier(Double(inputScale) / Double(outputScale))
        guard Requantization.shiftRange.contains(requantization.shift) else {
            throw ModelError(.quantization, "quantize: ratio \(inputScale / outputScale) is out of range",
                             field: "requantization")
        }
        return QuantizeOptions(requantization: requantization)
    }

    public func encode(into writer: inout ByteWriter) {
        requantization.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> QuantizeOptions {
        QuantizeOptions(requantization: try Requantization.decode(from: &reader, field: "requantization"))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(output, .int8, output: 0)
        _ = try context.requirePerTensorQuantization(output, output: 0)
        try context.requireSameShape(output.shape, input.shape, output: 0)
        switch input.type {
        case .float32:
            guard requantization == .zero else {
                throw context.error(.invalidValue, "float input takes no requantization; it must be zero", field: "requantization")
            }
        case .int8:
            _ = try context.requirePerTensorQuantization(input, input: 0)
        case .int32:
            throw context.error(.wrongType, "input must be float32 or int8, is int32", field: "type", input: 0)
        }
    }
}
