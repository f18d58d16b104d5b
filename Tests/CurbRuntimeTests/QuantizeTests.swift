import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct QuantizeTests {
    func quantize(_ values: [Float], scale: Float, zeroPoint: Int32) -> [Int8] {
        let input = TestTensor(shape: [values.count], float32: values)
        let output = TestTensor(shape: [values.count], scale: scale, zeroPoint: zeroPoint)
        QuantizeOptions().makeKernel(kind: .quantize, inputs: [input.view], outputs: [output.view]).run()
        return output.int8Values
    }

    @Test func tiesRoundAwayFromZero() {
        // Scale 1: ±0.5 → ±1, 1.5 → 2, −2.5 → −3 (std::round), 0.49 → 0; clamps at −128/127; NaN → 0.
        #expect(quantize([0.5, -0.5, 1.5, -2.5, 0.49, 200, -1000, .nan, .infinity], scale: 1, zeroPoint: 0)
                == [1, -1, 2, -3, 0, 127, -128, 0, 127])
        // Zero point 3 is added after rounding: 0.5 → 1 + 3 = 4; −0.5 → −1 + 3 = 2. Scale 0.5: 0.25 / 0.5 = 0.5 → 1.
        #expect(quantize([0.5, -0.5], scale: 1, zeroPoint: 3) == [4, 2])
        #expect(quantize([0.25, -0.25, 0.75], scale: 0.5, zeroPoint: 0) == [1, -1, 2])
    }

    @Test func requantizeInt8() throws {
        // s_in 0.5 → s_out 1: M = 0.5 → (2^30, 0), so only SRDHM rounds: 3 → 1.5 → 2, but −3 → −1.5 → −1
        // (SRDHM rounds ties toward +∞); 5 → 2.5 → 3; zp_out 10 is added.
        let options = try QuantizeOptions.requantize(inputScale: 0.5, outputScale: 1)
        #expect(options.requantization == Requantization(multiplier: 1 << 30, shift: 0))
        let input = TestTensor(shape: [4], int8: [3, -3, 5, 127], scale: 0.5)
        let output = TestTensor(shape: [4], scale: 1, zeroPoint: 10)
        options.makeKernel(kind: .quantize, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.int8Values == [12, 9, 13, 74])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x0A)
        for _ in 0..<20 {
            let scale = Float.random(in: 0.001...1, using: &generator)
            let zeroPoint = Int32.random(in: -128...127, using: &generator)
            let values = (0..<256).map { _ in Float.random(in: -200...200, using: &generator) * scale }
            // TFLite AffineQuantize: round(val / float(scale)) in float, + zp in double, clamp in double.
            let expected = values.map { value -> Int8 in
                let unclamped = Double((value / scale).rounded(.toNearestOrAwayFromZero)) + Double(zeroPoint)
                return Int8(Swift.min(Swift.max(unclamped, -128), 127))
            }
            #expect(quantize(values, scale: scale, zeroPoint: zeroPoint) == expected)

            let inputScale = Float.random(in: 0.001...1, using: &generator)
            let inputZeroPoint = Int32.random(in: -128...127, using: &generator)
            let options = try QuantizeOptions.requantize(inputScale: inputScale, outputScale: scale)
            let raw = (-128...127).map { Int8($0) }
            let input = TestTensor(shape: [256], int8: raw, scale: inputScale, zeroPoint: inputZeroPoint)
            let output = TestTensor(shape: [256], scale: scale, zeroPoint: zeroPoint)
            options.makeKernel(kind: .quantize, inputs: [input.view], outputs: [output.view]).run()
            let shift = Int(options.requantization.shift)
            #expect(output.int8Values == raw.map { x in
                let shifted = NaiveGemmlowp.wrap(Int64(Int32(x) - inputZeroPoint) << Int64(Swift.max(shift, 0)))
                let scaled = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(shifted, options.requantization.multiplier), Swift.max(-shift, 0))
                return Int8(clamping: scaled + zeroPoint)
            })
        }
    }
}
