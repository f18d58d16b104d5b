import CurbModel

/// TFLite's integer requantization primitives (gemmlowp fixed point, double rounding), bit for bit.
///
/// | function | rounding |
/// | --- | --- |
/// | ``saturatingRoundingDoublingHighMultiply(_:_:)`` | `(a·b + 2^30) / 2^31`, ties toward +∞ (nudge `1 − 2^30` for negative products, truncating division); `INT32_MIN · INT32_MIN` saturates to `INT32_MAX` |
/// | ``roundingDivideByPowerOfTwo(_:_:)`` | `x / 2^e`, ties away from zero |
/// | ``multiplyByQuantizedMultiplier(_:_:)`` | both, in that order (the double-rounding build of TFLite, TFLM's only one) |
public enum FixedPoint {
    /// gemmlowp `SaturatingRoundingDoublingHighMul` on int32.
    @inline(__always)
    public static func saturatingRoundingDoublingHighMultiply(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? 1 << 30 : 1 - (1 << 30)
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// gemmlowp `RoundingDivideByPOT`: `x / 2^exponent` rounded half away from zero, `0 ≤ exponent ≤ 31`.
    @inline(__always)
    public static func roundingDivideByPowerOfTwo(_ x: Int32, _ exponent: Int32) -> Int32 {
        let mask = Int32(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) &+ (x < 0 ? 1 : 0)
        return (x >> exponent) &+ (remainder > threshold ? 1 : 0)
    }

    /// TFLite `MultiplyByQuantizedMultiplier` (double rounding): `x · 2^max(shift,0)` in wrapping int32
    /// arithmetic (as the C++ does), the rounding high multiply, then a rounding right shift.
    @inline(__always)
    public static func multiplyByQuantizedMultiplier(_ x: Int32, _ requantization: Requantization) -> Int32 {
        let leftShift = requantization.shift > 0 ? requantization.shift : 0
        let rightShift = requantization.shift > 0 ? 0 : -requantization.shift
        return roundingDivideByPowerOfTwo(
            saturatingRoundingDoublingHighMultiply(x &* (1 &<< leftShift), requantization.multiplier), rightShift)
    }

    /// TFLite `MultiplyByQuantizedMultiplierSmallerThanOneExp` (shift ≤ 0).
    @inline(__always)
    public static func multiplyByQuantizedMultiplierSmallerThanOne(_ x: Int32, _ requantization: Requantization) -> Int32 {
        roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMultiply(x, requantization.multiplier), -requantization.shift)
    }

    /// TFLite `MultiplyByQuantizedMultiplierGreaterThanOne` (shift ≥ 0): no final rounding shift.
    @inline(__always)
    public static func multiplyByQuantizedMultiplierGreaterThanOne(_ x: Int32, _ requantization: Requantization) -> Int32 {
        saturatingRoundingDoublingHighMultiply(x &* (1 &<< requantization.shift), requantization.multiplier)
    }
}
