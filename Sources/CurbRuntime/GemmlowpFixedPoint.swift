/// The gemmlowp fixed-point functions TFLite's integer softmax and hard-swish use, bit for bit
/// (`fixedpoint/fixedpoint.h`, scalar int32/int16 paths).
///
/// Values are raw integers of a `Qm.n` format: `integerBits` bits left of the binary point, the rest
/// fractional (`real = raw / 2^(31 - integerBits)` for int32). Where gemmlowp adds or subtracts raw
/// int32 values with plain C++ `+`/`-` (wrapping in practice), this uses `&+`/`&-`.
public enum GemmlowpFixedPoint {
    /// The raw value of 1.0 in Q0.31 (saturated: 1.0 itself is not representable).
    public static let one: Int32 = .max

    /// `SaturatingRoundingMultiplyByPOT<exponent>`: a saturating left shift for `exponent > 0`, a rounding
    /// right shift (ties away from zero) for `exponent < 0`, the identity for 0.
    @inline(__always)
    public static func saturatingRoundingMultiplyByPowerOfTwo(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent == 0 { return x }
        if exponent < 0 { return FixedPoint.roundingDivideByPowerOfTwo(x, Int32(-exponent)) }
        let threshold = (Int32(1) << Int32(31 - exponent)) - 1
        if x > threshold { return .max }
        if x < -threshold { return .min }
        return x &<< Int32(exponent)
    }

    /// `Rescale<to>(FixedPoint<int32, from>)`: moves a value between Q formats.
    @inline(__always)
    public static func rescale(_ x: Int32, from sourceIntegerBits: Int, to destinationIntegerBits: Int) -> Int32 {
        saturatingRoundingMultiplyByPowerOfTwo(x, sourceIntegerBits - destinationIntegerBits)
    }

    /// `RoundingHalfSum`: `(a + b) / 2` rounded half away from zero, in 64 bits.
    @inline(__always)
    public static func roundingHalfSum(_ a: Int32, _ b: Int32) -> Int32 {
        let sum = Int64(a) + Int64(b)
        let sign: Int64 = sum >= 0 ? 1 : -1
        return Int32(truncatingIfNeeded: (sum + sign) / 2)
    }

    /// `exp(a)` for `a` in [−1/4, 0), both Q0.31: a 4th-order Taylor expansion around −1/8.
    public static func expOnIntervalBetweenNegativeOneQuarterAndZeroExclusive(_ a: Int32) -> Int32 {
        let srdhm = FixedPoint.saturatingRoundingDoublingHighMultiply
        let expMinusOneEighth: Int32 = 1_895_147_668  // exp(−1/8) in Q0.31
        let oneThird: Int32 = 715_827_883  // 1/3 in Q0.31
        let x = a &+ (1 << 28)  // a + 1/8
        let x2 = srdhm(x, x)
        let x3 = srdhm(x2, x)
        let x4 = srdhm(x2, x2)
        let x4OverFour = saturatingRoundingMultiplyByPowerOfTwo(x4, -2)
        let polynomial = saturatingRoundingMultiplyByPowerOfTwo(srdhm(x4OverFour &+ x3, oneThird) &+ x2, -1)
        return expMinusOneEighth &+ srdhm(expMinusOneEighth, x &+ polynomial)
    }

    /// `exp_on_negative_values`: `exp(a)` for `a ≤ 0` given in `Q(integerBits).(31 − integerBits)`, as Q0.31.
    ///
    /// The input is split into a remainder in [−1/4, 0) (Taylor series) and multiples of 1/4 (a barrel
    /// shifter of constant factors exp(−2^k)). `exp(0)` is exactly ``one``.
    public static func expOnNegativeValues(_ a: Int32, integerBits: Int) -> Int32 {
        precondition(integerBits >= 0 && integerBits < 31)
        let fractionalBits = 31 - integerBits
        let oneQuarter = Int32(1) << Int32(fractionalBits - 2)
        let modQuarterMinusQuarter = (a & (oneQuarter &- 1)) &- oneQuarter
        var result = expOnIntervalBetweenNegativeOneQuarterAndZeroExclusive(
            rescale(modQuarterMinusQuarter, from: integerBits, to: 0))
        let remainder = modQuarterMinusQuarter &- a

        // exp(−2^k) in Q0.31 for k = −2 … 4, applied when bit (fractionalBits + k) of the remainder is set.
        // Spelled out (no array) so the hot path allocates nothing.
        result = barrelStep(result, remainder, integerBits, fractionalBits, -2, 1_672_461_947)
        result = barrelStep(result, remainder, integerBits, fractionalBits, -1, 1_302_514_674)
        result = barrelStep(result, remainder, integerBits, fractionalBits, 0, 790_015_084)
        result = barrelStep(result, remainder, integerBits, fractionalBits, 1, 290_630_308)
        result = barrelStep(result, remainder, integerBits, fractionalBits, 2, 39_332_535)
        result = barrelStep(result, remainder, integerBits, fractionalBits, 3, 720_401)
        result = barrelStep(result, remainder, integerBits, fractionalBits, 4, 242)
        if integerBits > 5 {
            // Below −32 the result is 0.
            let clamp = -(Int32(1) << Int32(36 - integerBits))
            if a < clamp { result = 0 }
        }
        return a == 0 ? one : result
    }

    /// One stage of the exp barrel shifter (`GEMMLOWP_EXP_BARREL_SHIFTER`).
    @inline(__always)
    static func barrelStep(_ result: Int32, _ remainder: Int32, _ integerBits: Int, _ fractionalBits: Int,
                           _ exponent: Int, _ multiplier: Int32) -> Int32 {
        guard integerBits > exponent, remainder & (Int32(1) << Int32(fractionalBits + exponent)) != 0 else { return result }
        return FixedPoint.saturatingRoundingDoublingHighMultiply(result, multiplier)
    }

    /// `one_over_one_plus_x_for_x_in_0_1`: `1 / (1 + a)` for `a` in [0, 1), Q0.31 in and out, by three
    /// Newton–Raphson steps from 48/17 − 32/17·d (working in Q2.29).
    public static func oneOverOnePlusXForXInZeroOne(_ a: Int32) -> Int32 {
        let srdhm = FixedPoint.saturatingRoundingDoublingHighMultiply
        let halfDenominator = roundingHalfSum(a, one)  // (1 + a) / 2, Q0.31
        let fortyEightOverSeventeen: Int32 = 1_515_870_810  // Q2.29
        let minusThirtyTwoOverSeventeen: Int32 = -1_010_580_540  // Q2.29
        let oneQ2: Int32 = 1 << 29
        var x = fortyEightOverSeventeen &+ srdhm(halfDenominator, minusThirtyTwoOverSeventeen)
        for _ in 0..<3 {
            let halfDenominatorTimesX = srdhm(halfDenominator, x)  // Q2.29
            let oneMinusHalfDenominatorTimesX = oneQ2 &- halfDenominatorTimesX
            // Q2.29 × Q2.29 is Q4.27; back to Q2.29.
            x = x &+ rescale(srdhm(x, oneMinusHalfDenominatorTimesX), from: 4, to: 2)
        }
        // x / 2 (exact, Q1.30 reinterpretation), then Q1.30 → Q0.31.
        return rescale(x, from: 1, to: 0)
    }

    /// TFLite `GetReciprocal`: for a positive `x` in `Q(integerBits)`, returns `1/x` as a Q0.31 mantissa
    /// and how many bits the true reciprocal lies above it (`1/x = reciprocal · 2^−bitsOverUnit`).
    public static func reciprocal(_ x: Int32, integerBits: Int) -> (reciprocal: Int32, bitsOverUnit: Int) {
        let bits = UInt32(bitPattern: x)
        let headroomPlusOne = bits.leadingZeroBitCount
        let shiftedMinusOne = Int32(bitPattern: (headroomPlusOne >= 32 ? 0 : bits << UInt32(headroomPlusOne)) &- (1 << 31))
        return (oneOverOnePlusXForXInZeroOne(shiftedMinusOne), integerBits - headroomPlusOne)
    }

    // MARK: int16 primitives (hard-swish)

    /// gemmlowp `SaturatingRoundingDoublingHighMul` on int16: `(a·b + 2^14) / 2^15`, ties toward +∞,
    /// `−32768 · −32768` saturating to 32767.
    @inline(__always)
    public static func saturatingRoundingDoublingHighMultiply(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == .min { return .max }
        let product = Int32(a) * Int32(b)
        let nudge: Int32 = product >= 0 ? 1 << 14 : 1 - (1 << 14)
        return Int16(truncatingIfNeeded: (product + nudge) / (1 << 15))
    }

    /// TFLite's non-rounding `SaturatingDoublingHighMul` on int16 (hard-swish): `a·b / 2^15` truncated
    /// toward zero.
    @inline(__always)
    public static func saturatingDoublingHighMultiply(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == .min { return .max }
        return Int16(truncatingIfNeeded: (Int32(a) * Int32(b)) / (1 << 15))
    }

    /// gemmlowp `RoundingDivideByPOT` on int16, `0 ≤ exponent ≤ 31`, with C++'s int16 truncations of the
    /// mask and threshold reproduced (they matter only for exponents ≥ 16).
    @inline(__always)
    public static func roundingDivideByPowerOfTwo(_ x: Int16, _ exponent: Int) -> Int16 {
        let mask = Int16(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = Int16(truncatingIfNeeded: Int32(mask >> 1) + (x < 0 ? 1 : 0))
        let shifted = Int32(x) >> Int32(min(exponent, 31))
        return Int16(truncatingIfNeeded: shifted + (remainder > threshold ? 1 : 0))
    }

    /// TFLite hard-swish `SaturatingLeftShift`: `value · 2^amount` clamped to int16.
    @inline(__always)
    public static func saturatingLeftShift(_ value: Int16, _ amount: Int) -> Int16 {
        let result = Int64(value) << Int64(amount)
        return Int16(clamping: result)
    }
}
