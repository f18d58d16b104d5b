import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct HardSwishTests {
    /// TFLite `reference_ops::HardSwish` (quantized), literally, in Int32 with explicit int16 truncations.
    static func naiveHardSwish(_ x: Int8, _ p: HardSwishOptions, inputZeroPoint: Int32, outputZeroPoint: Int32) -> Int8 {
        func int16(_ v: Int32) -> Int32 { Int32(Int16(truncatingIfNeeded: v)) }
        func srdhm16(_ a: Int32, _ b: Int32) -> Int32 {
            if a == -32768 && b == -32768 { return 32767 }
            let ab = a * b
            return int16((ab + (ab >= 0 ? 1 << 14 : 1 - (1 << 14))) / (1 << 15))
        }
        func sdhm16(_ a: Int32, _ b: Int32) -> Int32 {
            if a == -32768 && b == -32768 { return 32767 }
            return int16((a * b) / (1 << 15))
        }
        func rdbpot16(_ x: Int32, _ e: Int) -> Int32 {
            let mask = int16(Int32(truncatingIfNeeded: (Int64(1) << Int64(e)) - 1))
            let remainder = int16(x & mask)
            let threshold = int16((mask >> 1) + (x < 0 ? 1 : 0))
            return int16((x >> Int32(min(e, 31))) + (remainder > threshold ? 1 : 0))
        }
        func saturatingShift(_ v: Int32, _ amount: Int) -> Int32 { max(-32768, min(32767, Int32(clamping: Int64(v) << Int64(amount)))) }
        let inputValue = int16(Int32(x) - inputZeroPoint)
        let hires = int16(inputValue * 128)
        let preshift = srdhm16(hires, Int32(p.outputMultiplier))
        var reluish = hires
        if p.reluishExponent > 0 { reluish = saturatingShift(reluish, Int(p.reluishExponent) - 1) }
        reluish = srdhm16(reluish, Int32(p.reluishMultiplier))
        if p.reluishExponent > 0 { reluish = saturatingShift(reluish, 1) }
        if p.reluishExponent < 0 { reluish = rdbpot16(reluish, Int(-p.reluishExponent)) }
        reluish = int16((reluish + (1 << 15)) >> 1)
        let preshiftOutput = sdhm16(reluish, preshift)
        var output = rdbpot16(preshiftOutput, Int(-p.outputExponent))
        output = int16(output + outputZeroPoint)
        return Int8(max(-128, min(127, output)))
    }

    func run(_ options: HardSwishOptions, _ values: [Int8], scale: (Float, Float), zeroPoints: (Int32, Int32)) -> [Int8] {
        let input = TestTensor(shape: [values.count], int8: values, scale: scale.0, zeroPoint: zeroPoints.0)
        let output = TestTensor(shape: [values.count], scale: scale.1, zeroPoint: zeroPoints.1)
        options.makeKernel(kind: .hardSwish, inputs: [input.view], outputs: [output.view]).run()
        return output.int8Values
    }

    @Test func factoryHandValues() throws {
        // s_in = s_out = 1/16: hires = 2^−11; output ratio 2^−7 → (2^30, −6) → int16 (2^30 + 2^15) >> 16 = 16384.
        // Reluish ratio 2^−11 / (3·2^−15) = 16/3 → float 11184811·2^−21 → frexp (11184811·2^−24, 3)
        // → q = 11184811·128 = 1431655808 → (q + 2^15) >> 16 = 21845.
        let options = try HardSwishOptions.make(inputScale: 1.0 / 16, outputScale: 1.0 / 16)
        #expect(options == HardSwishOptions(outputMultiplier: 16384, outputExponent: -6, reluishMultiplier: 21845, reluishExponent: 3))
    }

    @Test func signAndSaturation() throws {
        let options = try HardSwishOptions.make(inputScale: 1.0 / 16, outputScale: 1.0 / 16)
        // x = 16 (real 1): v = 2048; vo = SRDHM16(2048, 16384) = 1024; reluish: 2048 << 2 = 8192 → SRDHM16(·, 21845)
        //   = 5461 → ·2 = 10922 → (10922 + 2^15) >> 1 = 21845; SDHM16(21845, 1024) = 682; RDBPOT(682, 6) = 11
        //   (real 0.667 · 16 = 10.7).
        // x = −16 (real −1): vo = −1024; reluish −8192 → −5461 → −10922 → 10923; SDHM16 = −341.3 → −341;
        //   RDBPOT(−341, 6) = −5.33 → −5 (negative output for −3 < x < 0).
        // x = 127 (real 7.94 ≥ 3): reluish saturates to 32767; SDHM16(32767, 8128) = 8127; RDBPOT(8127, 6) = 127.
        // x = −128 (real −8 ≤ −3): reluish saturates to −32768 → 0 → output 0 (= zp).
        // x = 0: 0.
        #expect(run(options, [16, -16, 127, -128, 0], scale: (1.0 / 16, 1.0 / 16), zeroPoints: (0, 0)) == [11, -5, 127, 0, 0])
        // With a smaller output scale the large input saturates at 127: real 7.94 / (1/32) = 254 → 127.
        let narrow = try HardSwishOptions.make(inputScale: 1.0 / 16, outputScale: 1.0 / 32)
        #expect(run(narrow, [127], scale: (1.0 / 16, 1.0 / 32), zeroPoints: (0, 0)) == [127])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x4A5)
        for _ in 0..<60 {
            let inputScale = Float.random(in: 0.0005...0.5, using: &generator)
            let outputScale = Float.random(in: inputScale / 2...inputScale * 4, using: &generator)
            let zeroPoints = (Int32.random(in: -128...127, using: &generator), Int32.random(in: -128...127, using: &generator))
            guard let options = try? HardSwishOptions.make(inputScale: inputScale, outputScale: outputScale) else { continue }
            let values = (-128...127).map { Int8($0) }
            let actual = run(options, values, scale: (inputScale, outputScale), zeroPoints: zeroPoints)
            #expect(actual == values.map {
                Self.naiveHardSwish($0, options, inputZeroPoint: zeroPoints.0, outputZeroPoint: zeroPoints.1)
            })
        }
    }
}
