import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct MulTests {
    /// TFLite `MulElementwise`, literally: `zp_out + MBQM((x1 − zp1)·(x2 − zp2))`, clamped.
    static func naiveMul(_ x: Int8, _ y: Int8, options: MulOptions, zeroPoints: (Int32, Int32, Int32)) -> Int8 {
        let product = (Int32(x) - zeroPoints.0) * (Int32(y) - zeroPoints.1)
        let shift = Int(options.output.shift)
        let left = Int64(product) << Int64(max(shift, 0))
        let scaled = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(NaiveGemmlowp.wrap(left), options.output.multiplier), max(-shift, 0))
        let raw = zeroPoints.2 + scaled
        return Int8(min(options.activation.maximum, max(options.activation.minimum, raw)))
    }

    func run(_ options: MulOptions, _ a: TestTensor, _ b: TestTensor, _ out: TestTensor) -> [Int8] {
        options.makeKernel(kind: .mul, inputs: [a.view, b.view], outputs: [out.view]).run()
        return out.int8Values
    }

    @Test func handWorkedProducts() throws {
        // 0.5 · 0.5 / 0.25 = 1 → frexp = 0.5·2^1 → (2^30, 1). 3 · 5 = 15 → 15·2 = 30 → SRDHM(30, 2^30) = 15.
        let unit = try MulOptions.make(input1Scale: 0.5, input2Scale: 0.5, outputScale: 0.25, outputZeroPoint: 0)
        #expect(unit.output == Requantization(multiplier: 1 << 30, shift: 1))
        let a = TestTensor(shape: [3], int8: [3, -3, 100], scale: 0.5)
        let b = TestTensor(shape: [3], int8: [5, 5, 100], scale: 0.5)
        #expect(run(unit, a, b, TestTensor(shape: [3], scale: 0.25)) == [15, -15, 127])
    }

    @Test func tiesRoundAwayFromZero() throws {
        // M = 1 · 1 / 4 = 0.25 → (2^30, −1). 1·2 = 2: SRDHM(2, 2^30) = (2^31 + 2^30)/2^31 → 1; RDBPOT(1, 1) = 0.5 → 1.
        // −1·2 = −2: SRDHM = (−2^31 + 1 − 2^30)/2^31 → −1; RDBPOT(−1, 1) = −0.5 → −1.
        // −3·5 = −15: SRDHM → (−16·2^30 + 1)/2^31 → −7; RDBPOT(−7, 1) = −3.5 → −4 (true −3.75).
        let options = try MulOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 4, outputZeroPoint: 0)
        let a = TestTensor(shape: [3], int8: [1, -1, -3], scale: 1)
        let b = TestTensor(shape: [3], int8: [2, 2, 5], scale: 1)
        #expect(run(options, a, b, TestTensor(shape: [3], scale: 4)) == [1, -1, -4])
    }

    @Test func broadcastScalar() throws {
        // Scales 1 → M = 1 → (2^30, 1): exact products. Scalar real 3 (raw 4, zp 1) times [1, −2, 7] (zp 0).
        let options = try MulOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1, outputZeroPoint: -1)
        let scalar = TestTensor(shape: [], int8: [4], scale: 1, zeroPoint: 1)
        let vector = TestTensor(shape: [1, 3], int8: [1, -2, 7], scale: 1)
        #expect(run(options, vector, scalar, TestTensor(shape: [1, 3], scale: 1, zeroPoint: -1)) == [2, -7, 20])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x3A1)
        let shapePairs: [([Int], [Int])] = [([3, 4], [3, 4]), ([2, 1, 3], [4, 1]), ([], [2, 5]), ([1, 1, 2, 1, 3, 2], [3, 1])]
        for (shape1, shape2) in shapePairs {
            for _ in 0..<12 {
                let s1 = Float.random(in: 0.001...1, using: &generator)
                let s2 = Float.random(in: 0.001...1, using: &generator)
                let so = Float.random(in: 0.0005...0.5, using: &generator)
                let (z1, z2, zo) = (Int32.random(in: -128...127, using: &generator), Int32.random(in: -128...127, using: &generator),
                                    Int32.random(in: -128...127, using: &generator))
                let options = try MulOptions.make(input1Scale: s1, input2Scale: s2, outputScale: so, outputZeroPoint: zo,
                                                  activation: [.none, .relu6].randomElement(using: &generator)!)
                let outputShape = AddOptions.broadcastShape(TensorShape(shape1), TensorShape(shape2))!.dimensions
                let a = TestTensor(shape: shape1, int8: generator.int8Values(TensorShape(shape1).elementCount), scale: s1, zeroPoint: z1)
                let b = TestTensor(shape: shape2, int8: generator.int8Values(TensorShape(shape2).elementCount), scale: s2, zeroPoint: z2)
                let actual = run(options, a, b, TestTensor(shape: outputShape, scale: so, zeroPoint: zo))
                let av = a.int8Values, bv = b.int8Values
                for index in 0..<actual.count {
                    let x = av[naiveBroadcastIndex(index, output: outputShape, input: shape1)]
                    let y = bv[naiveBroadcastIndex(index, output: outputShape, input: shape2)]
                    #expect(actual[index] == Self.naiveMul(x, y, options: options, zeroPoints: (z1, z2, zo)))
                }
            }
        }
    }
}
