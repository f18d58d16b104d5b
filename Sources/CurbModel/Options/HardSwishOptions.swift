/// Options of int8 hard-swish: TFLite's `reference/hard_swish.h` (int16 fixed point with two
/// multipliers), identical in TFLite's reference and optimized kernels and in TFLM.
///
/// Input and output int8, per-tensor quantized, same shape; zero points come from the tensors.
public struct HardSwishOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.hardSwish

    /// `hires_input_scale / s_out`, as a 16-bit multiplier and its exponent (≤ 0).
    public var outputMultiplier: Int16
    public var outputExponent: Int32
    /// `hires_input_scale / (3 / 32768)`, as a 16-bit multiplier and its exponent.
    public var reluishMultiplier: Int16
    public var reluishExponent: Int32

    public init(outputMultiplier: Int16, outputExponent: Int32, reluishMultiplier: Int16, reluishExponent: Int32) {
        self.outputMultiplier = outputMultiplier
        self.outputExponent = outputExponent
        self.reluishMultiplier = reluishMultiplier
        self.reluishExponent = reluishExponent
    }

    /// Computes the options as TFLite's `HardSwishPrepare` does: `hires = (1/128) · s_in`, both ratios
    /// divided in **float** then widened, `QuantizeMultiplier`, then `DownScaleInt32ToInt16Multiplier`.
    ///
    /// Throws when the output exponent would be positive (TFLite refuses it too) or an exponent is out of
    /// the format's range.
    public static func make(inputScale: Float, outputScale: Float) throws(ModelError) -> HardSwishOptions {
        try AddOptions.requirePositiveScales([inputScale, outputScale], field: "scales")
        let hiresInputScale: Float = (1 / 128) * inputScale
        let reluishScale: Float = 3 / 32768
        let output = QuantizationMath.quantizeMultiplier(Double(hiresInputScale / outputScale))
        guard output.shift <= 0, output.shift >= -31 else {
            throw ModelError(.quantization, "hard_swish: output exponent \(output.shift) must be in −31...0",
                             field: "output_exponent")
        }
        let reluish = QuantizationMath.quantizeMultiplier(Double(hiresInputScale / reluishScale))
        guard Requantization.shiftRange.contains(reluish.shift) else {
            throw ModelError(.quantization, "hard_swish: reluish exponent \(reluish.shift) is out of range",
                             field: "reluish_exponent")
        }
        return HardSwishOptions(outputMultiplier: downScaleToInt16(output.multiplier), outputExponent: output.shift,
                                reluishMultiplier: downScaleToInt16(reluish.multiplier), reluishExponent: reluish.shift)
    }

    /// TFLite `DownScaleInt32ToInt16Multiplier`: `(m + 2^15) >> 16`, or 32767 when that would overflow.
    public static func downScaleToInt16(_ multiplier: Int32) -> Int16 {
        precondition(multiplier >= 0)
        let roundingOffset: Int32 = 1 << 15
        if multiplier >= Int32.max - roundingOffset { return .max }
        return Int16((multiplier + roundingOffset) >> 16)
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(Int32(outputMultiplier))
        writer.int32(outputExponent)
        writer.int32(Int32(reluishMultiplier))
        writer.int32(reluishExponent)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> HardSwishOptions {
        HardSwishOptions(outputMultiplier: Int16(try reader.int32("output_multiplier", in: 0...Int32(Int16.max))),
                         outputExponent: try reader.int32("output_exponent", in: -31...0),
                         reluishMultiplier: Int16(try reader.int32("reluish_multiplier", in: 0...Int32(Int16.max))),
                         reluishExponent: try reader.int32("reluish_exponent", in: -31...30))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        _ = try context.requireUnaryInt8()
        guard outputMultiplier >= 0, reluishMultiplier >= 0 else {
            throw context.error(.invalidValue, "multipliers must be ≥ 0", field: "output_multiplier")
        }
        guard (-31...0).contains(outputExponent) else {
            throw context.error(.invalidValue, "output exponent \(outputExponent) must be in −31...0", field: "output_exponent")
        }
        guard Requantization.shiftRange.contains(reluishExponent) else {
            throw context.error(.invalidValue, "reluish exponent \(reluishExponent) is out of range", field: "reluish_exponent")
        }
    }
}
