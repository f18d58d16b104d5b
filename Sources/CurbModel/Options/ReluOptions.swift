/// Options of int8 ReLU and ReLU6 as operators of their own: they requantize from the input's scale to
/// the output's and clamp (TFLite `activations.cc` `ReluPrepare` + `QuantizedReluX`, `ReluX`).
///
/// Input and output int8, per-tensor quantized, same shape. The graph's kind (relu / relu6) only names
/// the operator; the clamp stored here is what runs.
public struct ReluOptions: OperatorOptionsCoding {
    /// Relu options serve two operators; the graph stores the kind, this is only the default.
    public static let kind = OperatorKind.relu

    /// `s_in / s_out`.
    public var requantization: Requantization
    /// The clamp: quantized 0 (and 6 for ReLU6) in the output's scale.
    public var activation: ActivationRange

    public init(requantization: Requantization, activation: ActivationRange) {
        self.requantization = requantization
        self.activation = activation
    }

    /// RELU as TFLite prepares it: `s_in / s_out` divided in float then `QuantizeMultiplier`; the clamp is
    /// `[max(−128, zp_out + roundf(0 / s_out)), 127]`.
    public static func relu(inputScale: Float, outputScale: Float, outputZeroPoint: Int32) throws(ModelError) -> ReluOptions {
        try make(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: outputZeroPoint, upperBound: nil)
    }

    /// RELU6 as TFLite prepares it: as ``relu(inputScale:outputScale:outputZeroPoint:)`` with the upper
    /// clamp `min(127, zp_out + roundf(6 / s_out))`.
    public static func relu6(inputScale: Float, outputScale: Float, outputZeroPoint: Int32) throws(ModelError) -> ReluOptions {
        try make(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: outputZeroPoint, upperBound: 6)
    }

    static func make(inputScale: Float, outputScale: Float, outputZeroPoint: Int32,
                     upperBound: Float?) throws(ModelError) -> ReluOptions {
        try AddOptions.requirePositiveScales([inputScale, outputScale], field: "scales")
        guard (-128...127).contains(outputZeroPoint) else {
            throw ModelError(.quantization, "relu: output zero point \(outputZeroPoint) is not an int8 value", field: "zero_point")
        }
        let requantization = QuantizationMath.quantizeMultiplier(Double(inputScale / outputScale))
        guard Requantization.shiftRange.contains(requantization.shift) else {
            throw ModelError(.quantization, "relu: multiplier \(inputScale / outputScale) is out of range",
                             field: "requantization")
        }
        func quantized(_ value: Float) -> Int64 {
            // zp + static_cast<int32>(roundf(v / s)), widened so a huge ratio cannot wrap.
            let scaled = (value / outputScale).rounded(.toNearestOrAwayFromZero)
            return Int64(outputZeroPoint) + Int64(LookupTableOptions.truncatedInt32(scaled))
        }
        let minimum = max(-128, quantized(0))
        let maximum = upperBound.map { min(127, quantized($0)) } ?? 127
        guard minimum <= maximum else {
            throw ModelError(.quantization, "relu: clamp [\(minimum), \(maximum)] is empty", field: "activation")
        }
        return ReluOptions(requantization: requantization,
                           activation: ActivationRange(minimum: Int32(minimum), maximum: Int32(maximum)))
    }

    public func encode(into writer: inout ByteWriter) {
        requantization.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> ReluOptions {
        ReluOptions(requantization: try Requantization.decode(from: &reader, field: "requantization"),
                    activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        _ = try context.requireUnaryInt8()
    }
}
