import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct FixedPointTests {
    // MARK: Naive reference (shared by the operator tests of this target)

    /// TFLite's double-rounding `MultiplyByQuantizedMultiplier`, written from the rounding rules rather than from
    /// gemmlowp's nudge-and-mask code: SRDHM is `floor((a·b + 2^30) / 2^31)` (round half up, saturating the one
    /// overflow), RDBPOT is `x / 2^e` rounded half away from zero on magnitudes. The left shift wraps in int32
    /// like the C++.
    static func naiveMultiplyByQuantizedMultiplier(_ x: Int32, _ multiplier: Int32, _ shift: Int32) -> Int32 {
        let leftShift = max(shift, 0), rightShift = max(-shift, 0)
        let shifted = Int32(truncatingIfNeeded: Int64(x) << Int64(leftShift))
        let high = naiveHighMultiply(shifted, multiplier)
        return naiveRoundingShift(high, rightShift)
    }

    static func naiveHighMultiply(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Int32.min && b == Int32.min { return Int32.max }
        return Int32((Int64(a) * Int64(b) + (1 << 30)) >> 31)
    }

    static func naiveRoundingShift(_ x: Int32, _ exponent: Int32) -> Int32 {
        if exponent == 0 { return x }
        let half = Int64(1) << Int64(exponent - 1)
        let magnitude = (abs(Int64(x)) + half) >> Int64(exponent)
        return Int32(x < 0 ? -magnitude : magnitude)
    }

    // MARK: RoundingDivideByPOT

    @Test func roundingDivideTiesGoAwayFromZero() {
        // −3/2 = −1.5 → −2; −5/4 = −1.25 → −1; 5/2 = 2.5 → 3; −6/4 = −1.5 → −2; 6/4 = 1.5 → 2.
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-3, 1) == -2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-5, 2) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(5, 1) == 3)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-6, 2) == -2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(6, 2) == 2)
        // −7/4 = −1.75 → −2; 7/4 = 1.75 → 2; −1/2 = −0.5 → −1; 1/2 → 1.
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-7, 2) == -2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(7, 2) == 2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-1, 1) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(1, 1) == 1)
    }

    @Test func roundingDivideByZeroAndThirtyOneBits() {
        // Exponent 0 is the identity, including at the extremes.
        for value: Int32 in [Int32.min, -1, 0, 1, Int32.max] {
            #expect(FixedPoint.roundingDivideByPowerOfTwo(value, 0) == value)
        }
        // Exponent 31: INT32_MAX / 2^31 ≈ 0.99999 → 1; INT32_MIN / 2^31 = −1 exactly; −2^30 / 2^31 = −0.5 → −1;
        // 2^30 / 2^31 = 0.5 → 1; (2^30 − 1) / 2^31 < 0.5 → 0.
        #expect(FixedPoint.roundingDivideByPowerOfTwo(Int32.max, 31) == 1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(Int32.min, 31) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-(1 << 30), 31) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(1 << 30, 31) == 1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo((1 << 30) - 1, 31) == 0)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-(1 << 30) + 1, 31) == 0)
    }

    // MARK: SaturatingRoundingDoublingHighMul

    @Test func highMultiplySaturatesTheOneOverflow() {
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(Int32.min, Int32.min) == Int32.max)
        // INT32_MIN · INT32_MAX = −2^62 + 2^31 → /2^31 = −2^31 + 1 exactly.
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(Int32.min, Int32.max) == Int32.min + 1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(Int32.max, Int32.max) == Int32.max - 1)
    }

    @Test func highMultiplyRoundsHalfUp() {
        // b = 2^30 means × 1/2: 3 → 1.5 → 2; −3 → −1.5 → −1 (ties toward +∞); 5 → 3; −5 → −2; −1 → −0.5 → 0.
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(3, 1 << 30) == 2)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(-3, 1 << 30) == -1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(5, 1 << 30) == 3)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(-5, 1 << 30) == -2)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(-1, 1 << 30) == 0)
        #expect(FixedPoint.saturatingRoundingDoublingHighMultiply(0, Int32.min) == 0)
    }

    // MARK: MultiplyByQuantizedMultiplier

    @Test func multiplyWithPositiveShift() {
        // (2^30, shift 1) is exactly ×1: x·2 then ×1/2.
        for value: Int32 in [-1000, -1, 0, 1, 12345] {
            #expect(FixedPoint.multiplyByQuantizedMultiplier(value, Requantization(multiplier: 1 << 30, shift: 1)) == value)
        }
        // (2^30, shift 3) is ×4: 7 → 28.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(7, Requantization(multiplier: 1 << 30, shift: 3)) == 28)
        // The left shift wraps like the C++ (2^30 · 2 = INT32_MIN, then × 1/2 = −2^30).
        #expect(FixedPoint.multiplyByQuantizedMultiplier(1 << 30, Requantization(multiplier: 1 << 30, shift: 1)) == -(1 << 30))
    }

    @Test func multiplyWithNegativeShiftRoundsTwice() {
        // (2^30, −1) is ×1/4 with double rounding: 5 → SRDHM 2.5 → 3 → RDBPOT(3, 1) = 1.5 → 2, although 5/4 = 1.25.
        let quarter = Requantization(multiplier: 1 << 30, shift: -1)
        #expect(FixedPoint.multiplyByQuantizedMultiplier(5, quarter) == 2)
        // −6 → SRDHM −3 → RDBPOT(−3, 1) = −2 (−1.5 away from zero).
        #expect(FixedPoint.multiplyByQuantizedMultiplier(-6, quarter) == -2)
        // −2 → SRDHM −1 → RDBPOT(−1, 1) = −1.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(-2, quarter) == -1)
        // Shift −31 with the largest multiplier: INT32_MAX · (2^31−1)/2^31 / 2^31 ≈ 1.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(Int32.max, Requantization(multiplier: Int32.max, shift: -31)) == 1)
        // Multiplier 0 maps everything to 0.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(Int32.max, .zero) == 0)
    }

    @Test func smallerAndGreaterThanOneVariants() {
        // SmallerThanOne(x, q, s ≤ 0) = RDBPOT(SRDHM(x, q), −s): 5 × 1/4 → 2 as above.
        #expect(FixedPoint.multiplyByQuantizedMultiplierSmallerThanOne(5, Requantization(multiplier: 1 << 30, shift: -1)) == 2)
        // GreaterThanOne(x, q, s ≥ 0) = SRDHM(x·2^s, q): 3 · 4 · 1/2 = 6.
        #expect(FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(3, Requantization(multiplier: 1 << 30, shift: 2)) == 6)
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0xF1ED_0001)
        for round in 0..<20_000 {
            let x: Int32 = round % 4 == 0 ? Int32.random(in: -300...300, using: &random) : Int32.random(in: .min ... .max, using: &random)
            let multiplier = round % 7 == 0 ? Int32.random(in: 0 ... .max, using: &random)
                : Int32.random(in: (1 << 30) ... .max, using: &random)
            let shift = Int32.random(in: Requantization.shiftRange, using: &random)
            let actual = FixedPoint.multiplyByQuantizedMultiplier(x, Requantization(multiplier: multiplier, shift: shift))
            let expected = Self.naiveMultiplyByQuantizedMultiplier(x, multiplier, shift)
            #expect(actual == expected, "x \(x) q \(multiplier) s \(shift)")
            if actual != expected { return }
        }
    }
}
