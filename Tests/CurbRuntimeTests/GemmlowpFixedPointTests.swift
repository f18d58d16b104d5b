import Foundation
import Testing
import CurbTestKit
@testable import CurbRuntime

/// A literal, unoptimized transcription of gemmlowp's scalar int32 fixed point (`fixedpoint.h`), in
/// 64-bit arithmetic with explicit int32 wrapping, as the independent reference for the runtime's
/// implementation (also used by the softmax tests).
enum NaiveGemmlowp {
    static func wrap(_ value: Int64) -> Int32 { Int32(truncatingIfNeeded: value) }

    static func srdhm(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Int32.min && b == Int32.min { return Int32.max }
        let ab = Int64(a) * Int64(b)
        let nudge: Int64 = ab >= 0 ? (1 << 30) : (1 - (1 << 30))
        return wrap((ab + nudge) / (1 << 31))
    }

    static func rdbpot(_ x: Int32, _ exponent: Int) -> Int32 {
        let mask = wrap((Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = wrap(Int64(mask >> 1) + (x < 0 ? 1 : 0))
        return wrap(Int64(x >> Int32(exponent)) + (remainder > threshold ? 1 : 0))
    }

    static func multiplyByPOT(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent == 0 { return x }
        if exponent < 0 { return rdbpot(x, -exponent) }
        let threshold = wrap((Int64(1) << Int64(31 - exponent)) - 1)
        if x > threshold { return Int32.max }
        if x < -threshold { return Int32.min }
        return wrap(Int64(x) << Int64(exponent))
    }

    static func expQuarter(_ a: Int32) -> Int32 {
        let constant: Int32 = 1_895_147_668
        let third: Int32 = 715_827_883
        let x = wrap(Int64(a) + (1 << 28))
        let x2 = srdhm(x, x)
        let x3 = srdhm(x2, x)
        let x4 = srdhm(x2, x2)
        let x4Over4 = multiplyByPOT(x4, -2)
        let inner = multiplyByPOT(wrap(Int64(srdhm(wrap(Int64(x4Over4) + Int64(x3)), third)) + Int64(x2)), -1)
        return wrap(Int64(constant) + Int64(srdhm(constant, wrap(Int64(x) + Int64(inner)))))
    }

    static func expOnNegativeValues(_ a: Int32, integerBits: Int) -> Int32 {
        let fractionalBits = 31 - integerBits
        let quarter = Int32(1) << Int32(fractionalBits - 2)
        let mask = quarter - 1
        let aModQuarterMinusQuarter = wrap(Int64(a & mask) - Int64(quarter))
        var result = expQuarter(multiplyByPOT(aModQuarterMinusQuarter, integerBits))
        let remainder = wrap(Int64(aModQuarterMinusQuarter) - Int64(a))
        let table: [(Int, Int32)] = [(-2, 1_672_461_947), (-1, 1_302_514_674), (0, 790_015_084), (1, 290_630_308),
                                     (2, 39_332_535), (3, 720_401), (4, 242)]
        for (exponent, multiplier) in table where integerBits > exponent {
            if remainder & (Int32(1) << Int32(fractionalBits + exponent)) != 0 { result = srdhm(result, multiplier) }
        }
        if integerBits > 5, a < -(Int32(1) << Int32(36 - integerBits)) { result = 0 }
        return a == 0 ? Int32.max : result
    }

    static func oneOverOnePlusX(_ a: Int32) -> Int32 {
        let sum = Int64(a) + Int64(Int32.max)
        let half = wrap((sum + (sum >= 0 ? 1 : -1)) / 2)
        var x = wrap(1_515_870_810 + Int64(srdhm(half, -1_010_580_540)))
        for _ in 0..<3 {
            let hx = srdhm(half, x)
            let oneMinus = wrap(Int64(1 << 29) - Int64(hx))
            x = wrap(Int64(x) + Int64(multiplyByPOT(srdhm(x, oneMinus), 2)))
        }
        return multiplyByPOT(x, 1)
    }

    static func reciprocal(_ x: Int32, integerBits: Int) -> (Int32, Int) {
        var headroomPlusOne = 0
        while headroomPlusOne < 32 && (UInt32(bitPattern: x) << UInt32(headroomPlusOne)) & 0x8000_0000 == 0 {
            headroomPlusOne += 1
        }
        let shifted = UInt32(truncatingIfNeeded: UInt64(UInt32(bitPattern: x)) << UInt64(headroomPlusOne))
        return (oneOverOnePlusX(Int32(bitPattern: shifted &- 0x8000_0000)), integerBits - headroomPlusOne)
    }
}

@Suite struct GemmlowpFixedPointTests {
    @Test func expOfZeroIsOne() {
        // gemmlowp special-cases exp(0) as One() = the Q0.31 maximum, whatever the input format.
        #expect(GemmlowpFixedPoint.expOnNegativeValues(0, integerBits: 5) == Int32.max)
        #expect(GemmlowpFixedPoint.expOnNegativeValues(0, integerBits: 0) == Int32.max)
    }

    @Test func expIsAccurate() {
        // Q5.26: raw = real · 2^26. exp(−1/4), exp(−1), exp(−8) must be within 2^−20 of the true values.
        for real in [-0.25, -1.0, -8.0, -3.3, -0.001] {
            let raw = Int32((real * 67_108_864).rounded())
            let result = Double(GemmlowpFixedPoint.expOnNegativeValues(raw, integerBits: 5)) / 2_147_483_648
            #expect(abs(result - exp(Double(raw) / 67_108_864)) < 1.0 / 1_048_576, "exp(\(real))")
        }
        // Below −16 everything but the exp(−16) factor has vanished: exp(−31) rounds to 0 in Q0.31.
        #expect(GemmlowpFixedPoint.expOnNegativeValues(-31 << 26, integerBits: 5) == 0)
    }

    @Test func oneOverOnePlusX() {
        // x = 0 → 1 (≈ 2^31); x = 1/2 → 2/3; results within 2^−24.
        let atZero = Double(GemmlowpFixedPoint.oneOverOnePlusXForXInZeroOne(0)) / 2_147_483_648
        #expect(abs(atZero - 1) < 1.0 / 16_777_216)
        let atHalf = Double(GemmlowpFixedPoint.oneOverOnePlusXForXInZeroOne(1 << 30)) / 2_147_483_648
        #expect(abs(atHalf - 2.0 / 3) < 1.0 / 16_777_216)
    }

    @Test func reciprocalOfOneAndFour() {
        // 1.0 in Q12.19 is 2^19: clz = 12, so bitsOverUnit = 12 − 12 = 0, mantissa ≈ 1.
        let one = GemmlowpFixedPoint.reciprocal(1 << 19, integerBits: 12)
        #expect(one.bitsOverUnit == 0)
        #expect(abs(Double(one.reciprocal) / 2_147_483_648 - 1) < 1e-7)
        // 4.0 = 2^21: clz = 10, bitsOverUnit = 2; (2^21 << 10) − 2^31 = 0 → mantissa ≈ 1 → 1/4 = 1 · 2^−2.
        let four = GemmlowpFixedPoint.reciprocal(1 << 21, integerBits: 12)
        #expect(four.bitsOverUnit == 2)
        #expect(abs(Double(four.reciprocal) / 2_147_483_648 - 1) < 1e-7)
    }

    @Test func saturatingRoundingMultiplyByPowerOfTwo() {
        // Left by 2 saturates above (2^29 − 1); right by 1 rounds −3/2 away from zero to −2.
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPowerOfTwo(1 << 29, 2) == Int32.max)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPowerOfTwo(-(1 << 29), 2) == Int32.min)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPowerOfTwo(5, 2) == 20)
        #expect(GemmlowpFixedPoint.saturatingRoundingMultiplyByPowerOfTwo(-3, -1) == -2)
        #expect(GemmlowpFixedPoint.roundingHalfSum(-3, 0) == -2)  // (−3 − 1) / 2
        #expect(GemmlowpFixedPoint.roundingHalfSum(3, 0) == 2)  // (3 + 1) / 2
    }

    @Test func int16Primitives() {
        // SRDHM16: 16384 · 16384 = 2^28; (2^28 + 2^14) / 2^15 = 8192.5 → 8192 (truncating division).
        #expect(GemmlowpFixedPoint.saturatingRoundingDoublingHighMultiply(Int16(16384), Int16(16384)) == 8192)
        // −1 · 16384 = −2^14 is −0.5 after the scaling: nudge 1 − 2^14 → (−2^15 + 1) / 2^15 → 0 (ties up).
        #expect(GemmlowpFixedPoint.saturatingRoundingDoublingHighMultiply(Int16(-1), Int16(16384)) == 0)
        #expect(GemmlowpFixedPoint.saturatingRoundingDoublingHighMultiply(Int16.min, Int16.min) == Int16.max)
        // Truncating SDHM16: −3 · 16384 / 2^15 = −1.5 → −1.
        #expect(GemmlowpFixedPoint.saturatingDoublingHighMultiply(Int16(-3), Int16(16384)) == -1)
        // RDBPOT16: −3/2 → −2, 5/2 → 3 (ties away from zero); 682/64 = 10.66 → 11.
        #expect(GemmlowpFixedPoint.roundingDivideByPowerOfTwo(Int16(-3), 1) == -2)
        #expect(GemmlowpFixedPoint.roundingDivideByPowerOfTwo(Int16(5), 1) == 3)
        #expect(GemmlowpFixedPoint.roundingDivideByPowerOfTwo(Int16(682), 6) == 11)
        #expect(GemmlowpFixedPoint.saturatingLeftShift(Int16(16256), 2) == Int16.max)
        #expect(GemmlowpFixedPoint.saturatingLeftShift(Int16(-16384), 2) == Int16.min)
    }

    @Test func randomizedAgainstNaiveTranscription() {
        var generator = SeededGenerator(seed: 0x6E_6D6C_6F77)
        for _ in 0..<20_000 {
            let negative = -Int32.random(in: 0...Int32.max, using: &generator)
            #expect(GemmlowpFixedPoint.expOnNegativeValues(negative, integerBits: 5)
                    == NaiveGemmlowp.expOnNegativeValues(negative, integerBits: 5))
            let bits = Int.random(in: 0...7, using: &generator)
            #expect(GemmlowpFixedPoint.expOnNegativeValues(negative, integerBits: bits)
                    == NaiveGemmlowp.expOnNegativeValues(negative, integerBits: bits))
            let unit = Int32.random(in: 0...Int32.max, using: &generator)
            #expect(GemmlowpFixedPoint.oneOverOnePlusXForXInZeroOne(unit) == NaiveGemmlowp.oneOverOnePlusX(unit))
            let sum = Int32.random(in: (1 << 19)...(1 << 30), using: &generator)
            let expected = NaiveGemmlowp.reciprocal(sum, integerBits: 12)
            let actual = GemmlowpFixedPoint.reciprocal(sum, integerBits: 12)
            #expect(actual.reciprocal == expected.0 && actual.bitsOverUnit == expected.1)
        }
    }
}
