import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

/// Naive numpy broadcasting for the binary-op tests: for an output index, the flat index of the input
/// element it reads (dimensions aligned from the right, size-1 axes repeated).
func naiveBroadcastIndex(_ outputIndex: Int, output: [Int], input: [Int]) -> Int {
    var remaining = outputIndex
    var coordinates = [Int](repeating: 0, count: output.count)
    for axis in stride(from: output.count - 1, through: 0, by: -1) {
        coordinates[axis] = remaining % output[axis]
        remaining /= output[axis]
    }
    var index = 0
    let offset = output.count - input.count
    for axis in 0..<input.count {
        index = index * input[axis] + (input[axis] == 1 ? 0 : coordinates[axis + offset])
    }
    return index
}

@Suite struct AddTests {
    /// The TFLite `AddFunc` formula, literally.
    static func naiveAdd(_ x: Int8, _ y: Int8, options: AddOptions, zeroPoints: (Int32, Int32, Int32)) -> Int8 {
        let a = (Int32(x) - zeroPoints.0) * (Int32(1) << options.leftShift)
        let b = (Int32(y) - zeroPoints.1) * (Int32(1) << options.leftShift)
        let a2 = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(a, options.input1.multiplier), Int(-options.input1.shift))
        let b2 = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(b, options.input2.multiplier), Int(-options.input2.shift))
        let sum = a2 + b2
        let raw = NaiveGemmlowp.rdbpot(NaiveGemmlowp.srdhm(sum, options.output.multiplier), Int(-options.output.shift))
            + zeroPoints.2
        return Int8(min(options.activation.maximum, max(options.activation.minimum, raw)))
    }

    func run(_ options: AddOptions, _ a: TestTensor, _ b: TestTensor, _ out: TestTensor) -> [Int8] {
        options.makeKernel(kind: .add, inputs: [a.view, b.view], outputs: [out.view]).run()
        return out.int8Values
    }

    @Test func handWorkedSum() throws {
        // All scales 1: M1 = M2 = 1/2 → (2^30, 0); Mo = 2 / 2^20 → (2^30, −18).
        // 3 + 4: a = 3·2^20 → SRDHM(·, 2^30) = 3·2^19; b = 4·2^19; sum 7·2^19 → SRDHM = 7·2^18 → /2^18 = 7.
        let options = try AddOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1, outputZeroPoint: 0)
        let a = TestTensor(shape: [3], int8: [3, -100, 100], scale: 1)
        let b = TestTensor(shape: [3], int8: [4, -100, 100], scale: 1)
        let out = TestTensor(shape: [3], scale: 1)
        // −100 + −100 = −200 → −128; 100 + 100 → 127.
        #expect(run(options, a, b, out) == [7, -128, 127])
    }

    @Test func negativeTiesRoundAwayFromZero() throws {
        // s_out = 2: Mo = 2 / (2^20 · 2) = 2^−20 → (2^30, −19). (3 + 0) / 2 = 1.5: sum 3·2^19 → SRDHM 3·2^18
        // → RDBPOT(·, 19) = 1.5 → 2; (−3 + 0) / 2 = −1.5 → −2; (−1 + 0) / 2 = −0.5 → −1.
        let options = try AddOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 2, outputZeroPoint: 0)
        let a = TestTensor(shape: [3], int8: [3, -3, -1], scale: 1)
        let b = TestTensor(shape: [3], int8: [0, 0, 0], scale: 1)
        let out = TestTensor(shape: [3], scale: 2)
        #expect(run(options, a, b, out) == [2, -2, -1])
    }

    @Test func broadcastScalarAndRowAndZeroPoints() throws {
        // Scales 1, zero points: x1 zp 1, x2 zp −2, out zp 5. y = (x1 − 1) + (x2 + 2) + 5.
        let options = try AddOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1, outputZeroPoint: 5)
        let matrix = TestTensor(shape: [2, 3], int8: [1, 2, 3, 4, 5, 6], scale: 1, zeroPoint: 1)
        // Rank-0 scalar 8 (real 10): every element + 10.
        let scalar = TestTensor(shape: [], int8: [8], scale: 1, zeroPoint: -2)
        let out = TestTensor(shape: [2, 3], scale: 1, zeroPoint: 5)
        #expect(run(options, matrix, scalar, out) == [15, 16, 17, 18, 19, 20])
        // Shape [1] on the left works the same.
        let one = TestTensor(shape: [1], int8: [8], scale: 1, zeroPoint: -2)
        #expect(run(options, one, matrix, out) == [15, 16, 17, 18, 19, 20])
        // A row [3] (reals 0, 1, 2) added to each row of the matrix (reals 0…5): +5 → [5, 7, 9, 8, 10, 12].
        let row = TestTensor(shape: [3], int8: [-2, -1, 0], scale: 1, zeroPoint: -2)
        #expect(run(options, matrix, row, out) == [5, 7, 9, 8, 10, 12])
    }

    @Test func randomizedAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0xADD)
        let shapePairs: [([Int], [Int])] = [([2, 3, 4], [2, 3, 4]), ([2, 1, 4], [3, 1]), ([], [5, 2]), ([1], [2, 2, 3]),
                                           ([1, 2, 1, 3, 1, 2], [2, 4, 3, 1, 1]), ([4, 1], [1, 6])]
        for (shape1, shape2) in shapePairs {
            for _ in 0..<10 {
                let s1 = Float.random(in: 0.001...0.5, using: &generator)
                let s2 = Float.random(in: 0.001...0.5, using: &generator)
                let so = Float.random(in: 0.002...0.8, using: &generator)
                let z1 = Int32.random(in: -128...127, using: &generator)
                let z2 = Int32.random(in: -128...127, using: &generator)
                let zo = Int32.random(in: -128...127, using: &generator)
                let activation: FusedActivation = [.none, .relu, .relu6].randomElement(using: &generator)!
                let options = try AddOptions.make(input1Scale: s1, input2Scale: s2, outputScale: so, outputZeroPoint: zo,
                                                  activation: activation)
                let outputShape = AddOptions.broadcastShape(TensorShape(shape1), TensorShape(shape2))!.dimensions
                let a = TestTensor(shape: shape1, int8: generator.int8Values(TensorShape(shape1).elementCount), scale: s1, zeroPoint: z1)
                let b = TestTensor(shape: shape2, int8: generator.int8Values(TensorShape(shape2).elementCount), scale: s2, zeroPoint: z2)
                let out = TestTensor(shape: outputShape, scale: so, zeroPoint: zo)
                let actual = run(options, a, b, out)
                let av = a.int8Values, bv = b.int8Values
                for index in 0..<actual.count {
                    let x = av[naiveBroadcastIndex(index, output: outputShape, input: shape1)]
                    let y = bv[naiveBroadcastIndex(index, output: outputShape, input: shape2)]
                    #expect(actual[index] == Self.naiveAdd(x, y, options: options, zeroPoints: (z1, z2, zo)))
                }
            }
        }
    }
}
