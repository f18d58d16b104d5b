import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct SoftmaxTests {
    /// TFLite `reference_ops::Softmax` for int8 → int8, literally, over the naive gemmlowp transcription.
    static func naiveSoftmax(_ row: [Int8], options: SoftmaxOptions) -> [Int8] {
        let maximum = Int32(row.max()!)
        func exponential(_ difference: Int32) -> Int32 {
            let shifted = NaiveGemmlowp.wrap(Int64(difference) << Int64(options.inputLeftShift))
            return NaiveGemmlowp.expOnNegativeValues(NaiveGemmlowp.srdhm(shifted, options.inputMultiplier), integerBits: 5)
        }
        var sum: Int32 = 0
        for value in row where Int32(value) - maximum >= options.diffMinimum {
            sum = NaiveGemmlowp.wrap(Int64(sum) + Int64(NaiveGemmlowp.multiplyByPOT(exponential(Int32(value) - maximum), -12)))
        }
        let (scale, bitsOverUnit) = NaiveGemmlowp.reciprocal(sum, integerBits: 12)
        let exponent = bitsOverUnit + 31 - 8
        precondition(exponent >= 0 && exponent <= 31)
        return row.map { value in
            let difference = Int32(value) - maximum
            guard difference >= options.diffMinimum else { return -128 }
            let output = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(scale, exponential(difference)), exponent) - 128
            return Int8(max(-128, min(127, output)))
        }
    }

    func run(_ options: SoftmaxOptions, shape: [Int], _ values: [Int8], scale: Float) -> [Int8] {
        let input = TestTensor(shape: shape, int8: values, scale: scale)
        let output = TestTensor(shape: shape, scale: 1.0 / 256, zeroPoint: -128)
        options.makeKernel(kind: .softmax, inputs: [input.view], outputs: [output.view]).run()
        return output.int8Values
    }

    @Test func equalLogitsAreUniform() throws {
        // Four equal logits: each exp = 1 → 2^19 in Q12.19, sum 2^21; clz 10 → 2 bits over unit, mantissa ≈ 1;
        // exponent 2 + 23 = 25; ≈2^31 / 2^25 = 64 → 64 − 128 = −64, i.e. 64/256 = 0.25 each.
        let options = try SoftmaxOptions.make(inputScale: 0.1)
        #expect(run(options, shape: [2, 4], [5, 5, 5, 5, -7, -7, -7, -7], scale: 0.1) == [-64, -64, -64, -64, -64, -64, -64, -64])
    }

    @Test func largeSpreadGivesMinusOneTwentyEight() throws {
        // s_in = 1: R = 2^26 → (2^30, 27); diff_min = −floor(31·2^26 / 2^27) = −15.
        let options = try SoftmaxOptions.make(inputScale: 1)
        #expect(options.inputMultiplier == 1 << 30 && options.inputLeftShift == 27 && options.diffMinimum == -15)
        // [100, 0]: the difference −100 is below −15 → −128; the maximum alone: sum 2^19 → mantissa ≈ 1, exponent 23,
        // 2^31 / 2^23 = 256 → 256 − 128 = 128 → clamped to 127.
        #expect(run(options, shape: [1, 2], [100, 0], scale: 1) == [127, -128])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x50F7)
        for depth in [1, 2, 5, 10, 37, 200] {
            for _ in 0..<8 {
                let scale = Float.random(in: 0.005...0.5, using: &generator)
                let beta = Float.random(in: 0.5...2, using: &generator)
                let options = try SoftmaxOptions.make(inputScale: scale, beta: beta)
                let rows = 3
                let values = generator.int8Values(rows * depth)
                let actual = run(options, shape: [rows, depth], values, scale: scale)
                for row in 0..<rows {
                    let slice = Array(values[(row * depth)..<((row + 1) * depth)])
                    #expect(Array(actual[(row * depth)..<((row + 1) * depth)]) == Self.naiveSoftmax(slice, options: options))
                }
            }
        }
    }

    @Test func manyEqualLogitsDoNotTrap() throws {
        // 1024 equal logits: the exponentials add up to 1024 (TFLite aborts there); the kernel must still
        // produce the −128/−127 floor, never crash.
        let options = try SoftmaxOptions.make(inputScale: 0.1)
        let result = run(options, shape: [1024], [Int8](repeating: 3, count: 1024), scale: 0.1)
        #expect(result.allSatisfy { $0 <= -127 })
    }
}
