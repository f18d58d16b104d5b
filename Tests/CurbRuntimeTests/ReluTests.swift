import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct ReluTests {
    func run(_ kind: OperatorKind, _ options: ReluOptions, _ values: [Int8], input: (Float, Int32), output: (Float, Int32)) -> [Int8] {
        let inputTensor = TestTensor(shape: [values.count], int8: values, scale: input.0, zeroPoint: input.1)
        let outputTensor = TestTensor(shape: [values.count], scale: output.0, zeroPoint: output.1)
        options.makeKernel(kind: kind, inputs: [inputTensor.view], outputs: [outputTensor.view]).run()
        return outputTensor.int8Values
    }

    @Test func relu6Clamps() throws {
        // s_in = s_out = 0.05, zp −10: M = 1 → (2^30, 1); clamp [−10, −10 + roundf(6 / 0.05) = 110].
        let options = try ReluOptions.relu6(inputScale: 0.05, outputScale: 0.05, outputZeroPoint: -10)
        #expect(options.activation == ActivationRange(minimum: -10, maximum: 110))
        // 127 → 127 (real 6.85) → 110; −50 (real −2) → −10; 20 → 20; 110 → 110.
        #expect(run(.relu6, options, [127, -50, 20, 110], input: (0.05, -10), output: (0.05, -10)) == [110, -10, 20, 110])
        let relu = try ReluOptions.relu(inputScale: 0.05, outputScale: 0.05, outputZeroPoint: -10)
        #expect(run(.relu, relu, [127, -50, 20], input: (0.05, -10), output: (0.05, -10)) == [127, -10, 20])
    }

    @Test func requantizesToOutputScale() throws {
        // s_in 0.1, s_out 0.2: M = 0.5 → (2^30, 0), so y = zp_out + SRDHM(x − zp_in, 2^30), halves rounding up:
        // 7 → 3.5 → 4; −7 → −3.5 → −3 (then clamped to zp_out = 0 by ReLU); 100 → 50.
        let options = try ReluOptions.relu(inputScale: 0.1, outputScale: 0.2, outputZeroPoint: 0)
        #expect(options.requantization == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(run(.relu, options, [7, -7, 100], input: (0.1, 0), output: (0.2, 0)) == [4, 0, 50])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x7E1)
        for _ in 0..<40 {
            let inputScale = Float.random(in: 0.001...0.3, using: &generator)
            let outputScale = Float.random(in: 0.001...0.3, using: &generator)
            let zeroPoints = (Int32.random(in: -128...127, using: &generator), Int32.random(in: -128...0, using: &generator))
            let six = Bool.random(using: &generator)
            let options = six ? try ReluOptions.relu6(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: zeroPoints.1)
                : try ReluOptions.relu(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: zeroPoints.1)
            let values = (-128...127).map { Int8($0) }
            let actual = run(six ? .relu6 : .relu, options, values, input: (inputScale, zeroPoints.0), output: (outputScale, zeroPoints.1))
            // TFLite ReluX: zp_out + MultiplyByQuantizedMultiplier(x − zp_in), then the clamp.
            let shift = Int(options.requantization.shift)
            let expected = values.map { x -> Int8 in
                let shifted = NaiveGemmlowp.wrap(Int64(Int32(x) - zeroPoints.0) << Int64(max(shift, 0)))
                let scaled = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(shifted, options.requantization.multiplier), max(-shift, 0))
                return Int8(min(options.activation.maximum, max(options.activation.minimum, zeroPoints.1 + scaled)))
            }
            #expect(actual == expected)
        }
    }
}
