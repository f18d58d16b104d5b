/// The writer-side arithmetic that turns float scales into integer parameters, exactly as TFLite's
/// `quantization_util.cc` does (double precision, `std::round` ties away from zero, `frexp`).
///
/// Used by model builders (the trainer, the TFLite importer, tests), never by the runtime's hot path.
public enum QuantizationMath {
    /// `frexp`: `value = fraction · 2^exponent` with `0.5 ≤ |fraction| < 1` (exact, no libm).
    public static func frexp(_ value: Double) -> (fraction: Double, exponent: Int) {
        guard value.isFinite, value != 0 else { return (value, 0) }
        let exponent = Int(value.exponent) + 1
        let fraction = value.sign == .minus ? -value.significand / 2 : value.significand / 2
        // Subnormals: significand < 1; renormalise.
        if abs(fraction) < 0.5 {
            var f = fraction, e = exponent
            while abs(f) < 0.5 { f *= 2; e -= 1 }
            return (f, e)
        }
        return (fraction, exponent)
    }

    /// TFLite's `QuantizeMultiplier` (double rounding build): `M ≈ q · 2^(shift − 31)`.
    public static func quantizeMultiplier(_ realMultiplier: Double) -> Requantization {
        if realMultiplier == 0 { return .zero }
        let (fraction, exponentIn) = frexp(realMultiplier)
        var exponent = exponentIn
        var quantized = Int64((fraction * Double(1 << 31)).rounded(.toNearestOrAwayFromZero))
        precondition(quantized <= Int64(1) << 31)
        if quantized == Int64(1) << 31 {
            quantized /= 2
            exponent += 1
        }
        if exponent < -31 {
            exponent = 0
            quantized = 0
        }
        return Requantization(multiplier: Int32(quantized), shift: Int32(exponent))
    }

    /// TFLite's `QuantizeMultiplierSmallerThanOneExp`: requires `0 < M < 1`, returns `shift ≤ 0`.
    public static func quantizeMultiplierSmallerThanOne(_ realMultiplier: Double) -> Requantization {
        precondition(realMultiplier > 0 && realMultiplier < 1, "multiplier \(realMultiplier) not in (0, 1)")
        let result = quantizeMultiplier(realMultiplier)
        precondition(result.shift <= 0)
        return result
    }

    /// TFLite's `QuantizeMultiplierGreaterThanOne`: requires `M > 1`, returns `shift ≥ 0`.
    public static func quantizeMultiplierGreaterThanOne(_ realMultiplier: Double) -> Requantization {
        precondition(realMultiplier > 1, "multiplier \(realMultiplier) not above 1")
        let result = quantizeMultiplier(realMultiplier)
        precondition(result.shift >= 0)
        return result
    }

    /// TFLite's activation-range quantization: `zeroPoint + Int32(round_away(Float(value) / scale))`,
    /// the division in float as `CalculateActivationRangeQuantizedImpl` does.
    public static func quantize(_ value: Float, scale: Float, zeroPoint: Int32) -> Int32 {
        let scaled = (value / scale).rounded(.toNearestOrAwayFromZero)
        return zeroPoint &+ Int32(clamping: Int64(exactly: scaled) ?? (scaled > 0 ? Int64.max : Int64.min))
    }

    /// The fused-activation clamp range for an int8 output (TFLite `CalculateActivationRangeQuantized`).
    public static func activationRange(_ activation: FusedActivation, scale: Float, zeroPoint: Int32) -> ActivationRange {
        let qmin: Int32 = -128, qmax: Int32 = 127
        switch activation {
        case .none:
            return ActivationRange(minimum: qmin, maximum: qmax)
        case .relu:
            return ActivationRange(minimum: max(qmin, quantize(0, scale: scale, zeroPoint: zeroPoint)), maximum: qmax)
        case .relu6:
            return ActivationRange(minimum: max(qmin, quantize(0, scale: scale, zeroPoint: zeroPoint)),
                                   maximum: min(qmax, quantize(6, scale: scale, zeroPoint: zeroPoint)))
        case .reluMinus1To1:
            return ActivationRange(minimum: max(qmin, quantize(-1, scale: scale, zeroPoint: zeroPoint)),
                                   maximum: min(qmax, quantize(1, scale: scale, zeroPoint: zeroPoint)))
        }
    }
}

/// An activation fused into the operator before it, as converters express it.
public enum FusedActivation: Sendable {
    case none, relu, relu6, reluMinus1To1
}
