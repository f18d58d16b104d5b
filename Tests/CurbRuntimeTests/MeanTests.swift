import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct MeanTests {
    static func run(_ options: MeanOptions, input: [Int8], inputShape: [Int], inputZeroPoint: Int32, outputShape: [Int],
                    outputZeroPoint: Int32) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 1, zeroPoint: inputZeroPoint)
        let outputTensor = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        options.makeKernel(kind: .mean, inputs: [inputTensor.view], outputs: [outputTensor.view]).run()
        return outputTensor.int8Values
    }

    @Test func heightAndWidthKeepDimsRoundsTwice() {
        // s_in = s_out → (q, s) = QuantizeMultiplier(1) = (2^30, 1). N = 4: k = min(2, 32, 32) = 2,
        // q' = (2^30 << 2) / 4 = 2^30, s' = −1, i.e. ×1/4 with double rounding. zp_in = zp_out = 2.
        // c0 raw 3 4 5 7: 19 − 8 = 11 → SRDHM 5.5 → 6 → RDBPOT(6, 1) = 3 → 5.
        // c1 raw 0 0 1 0: 1 − 8 = −7 → SRDHM −3.5 → −3 → RDBPOT(−3, 1) = −2 → 0.
        // c2 raw 3 3 3 4: 13 − 8 = 5 → SRDHM 2.5 → 3 → RDBPOT(3, 1) = 2 → 4 (double rounding: 5/4 = 1.25 gives 2).
        let base = QuantizationMath.quantizeMultiplier(1)
        #expect(base == Requantization(multiplier: 1 << 30, shift: 1))
        #expect(Mean.foldCount(4, into: base) == Requantization(multiplier: 1 << 30, shift: -1))
        let options = MeanOptions(axes: [1, 2], keepDims: true, requantization: base)
        let input: [Int8] = [3, 0, 3, 4, 0, 3, 5, 1, 3, 7, 0, 4]
        #expect(Self.run(options, input: input, inputShape: [1, 2, 2, 3], inputZeroPoint: 2, outputShape: [1, 1, 1, 3],
                         outputZeroPoint: 2) == [5, 0, 4])
    }

    @Test func countThreeWithoutKeepDims() {
        // s_in 0.5, s_out 0.25 → QuantizeMultiplier(2) = (2^30, 2). N = 3: k = min(1, 32, 33) = 1,
        // q' = 2^31 / 3 = 715827882 (truncated), s' = 1. MBQM(x, q', 1) = round_half_up(2x · 0.33333333287).
        // b0 raw 3 3 4: Σ 10 → 6.67 → 7.  b1 raw −1 −2 0: Σ −3 → −1.9999999986 → −2.  zp 0 on both sides.
        let options = MeanOptions.make(axes: [1], keepDims: false, inputScale: 0.5, outputScale: 0.25)
        #expect(options.requantization == Requantization(multiplier: 1 << 30, shift: 2))
        #expect(Mean.foldCount(3, into: options.requantization) == Requantization(multiplier: 715_827_882, shift: 1))
        #expect(Self.run(options, input: [3, 3, 4, -1, -2, 0], inputShape: [2, 3, 1], inputZeroPoint: 0, outputShape: [2, 1],
                         outputZeroPoint: 0) == [7, -2])
    }

    @Test func nonAdjacentAxesAndClamp() {
        // Input [2, 3, 2] raw (a, b, c) = 6a + 2b + c − 5, axes [0, 2] keep dims → [1, 3, 1], N = 4, ×1/4 as above.
        // out[b] = Σ_{a,c} = 12 + 8b + 2 − 20 = 8b − 6: b0 −6 → −3 → −2; b1 2 → 1 → RDBPOT(1, 1) = 1; b2 10 → 5 → 3.
        let options = MeanOptions(axes: [0, 2], keepDims: true, requantization: Requantization(multiplier: 1 << 30, shift: 1))
        let input = (0..<12).map { Int8($0 - 5) }
        #expect(Self.run(options, input: input, inputShape: [2, 3, 2], inputZeroPoint: 0, outputShape: [1, 3, 1],
                         outputZeroPoint: 0) == [-2, 1, 3])
        // zp_out 126 pushes 3 + 126 past 127: clamped (MEAN has no fused activation, only the int8 range).
        #expect(Self.run(options, input: input, inputShape: [2, 3, 2], inputZeroPoint: 0, outputShape: [1, 3, 1],
                         outputZeroPoint: 126) == [124, 127, 127])
    }

    @Test func runAllocatesNothing() {
        // The general path (two reduced groups, one kept) after prepare: no heap allocation per run.
        let input = TestTensor(shape: [2, 3, 2, 4], int8: (0..<48).map { Int8($0 - 20) }, scale: 1, zeroPoint: 1)
        let output = TestTensor(shape: [1, 3, 1, 1], scale: 1, zeroPoint: 0)
        let kernel = Mean(options: MeanOptions(axes: [0, 2, 3], requantization: Requantization(multiplier: 1 << 30, shift: 1)),
                          input: input.view, output: output.view)
        kernel.run()
        #expect(allocationCount { for _ in 0..<100 { kernel.run() } } == 0)
    }

    @Test func foldKeepsShiftInRange() {
        // A right shift already at −31 cannot go further: k = min(log2 N, 32, 31 + s) = 0, multiplier / N.
        #expect(Mean.foldCount(8, into: Requantization(multiplier: 1 << 30, shift: -31)) == Requantization(multiplier: 1 << 27, shift: -31))
        // N = 1 changes nothing.
        #expect(Mean.foldCount(1, into: Requantization(multiplier: 123_456_789, shift: -3)) == Requantization(multiplier: 123_456_789, shift: -3))
    }

    /// `reference_ops::QuantizedMeanOrSum` (LiteRT, compute_sum = false), literally: sums through
    /// `ReducedOutputOffset`, then the multiplier readjusted by N.
    static func naiveQuantizedMean(input: [Int8], inputDims: [Int], inputZeroPoint: Int32, axes: [Int], multiplier: Int32,
                                   shift: Int32, outputZeroPoint: Int32) -> [Int8] {
        let outputDims = (0..<inputDims.count).map { axes.contains($0) ? 1 : inputDims[$0] }
        var tempSum = [Int32](repeating: 0, count: outputDims.reduce(1, *))
        var index = [Int](repeating: 0, count: inputDims.count)
        outer: while true {
            var inputOffset = 0, outputOffset = 0
            for dimension in 0..<inputDims.count {
                inputOffset = inputOffset * inputDims[dimension] + index[dimension]
                if !axes.contains(dimension) { outputOffset = outputOffset * inputDims[dimension] + index[dimension] }
            }
            tempSum[outputOffset] = tempSum[outputOffset] &+ Int32(input[inputOffset])
            var dimension = inputDims.count - 1
            while dimension >= 0 {
                index[dimension] += 1
                if index[dimension] < inputDims[dimension] { continue outer }
                index[dimension] = 0
                dimension -= 1
            }
            break
        }
        let numElementsInAxis = Int64(axes.map { inputDims[$0] }.reduce(1, *))
        var outputShift = shift
        var shiftN = Int32(63 - UInt64(numElementsInAxis).leadingZeroBitCount)
        shiftN = min(shiftN, 32)
        shiftN = min(shiftN, 31 + outputShift)
        let outputMultiplier = Int32((Int64(multiplier) << Int64(shiftN)) / numElementsInAxis)
        outputShift = outputShift - shiftN
        return tempSum.map { sum in
            let shiftedSum = Int32(truncatingIfNeeded: Int64(sum) - Int64(inputZeroPoint) * numElementsInAxis)
            var output = FixedPointTests.naiveMultiplyByQuantizedMultiplier(shiftedSum, outputMultiplier, outputShift) + outputZeroPoint
            output = min(max(output, -128), 127)
            return Int8(output)
        }
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0x3E_A4)
        for _ in 0..<80 {
            let rank = Int.random(in: 1...5, using: &random)
            let dims = (0..<rank).map { _ in Int.random(in: 1...5, using: &random) }
            let axes = (0..<rank).filter { _ in Bool.random(using: &random) }
            let keepDims = Bool.random(using: &random)
            let outputShape = (0..<rank).compactMap { axes.contains($0) ? (keepDims ? 1 : nil) : dims[$0] }
            let inputScale = Float.random(in: 0.01...0.2, using: &random)
            let outputScale = inputScale * Float.random(in: 0.3...3, using: &random)
            let options = MeanOptions.make(axes: axes.map { Int32($0) }, keepDims: keepDims, inputScale: inputScale, outputScale: outputScale)
            let input = random.int8Values(dims.reduce(1, *))
            let inputZeroPoint = Int32.random(in: -128...127, using: &random)
            let outputZeroPoint = Int32.random(in: -128...127, using: &random)
            let actual = Self.run(options, input: input, inputShape: dims, inputZeroPoint: inputZeroPoint, outputShape: outputShape,
                                  outputZeroPoint: outputZeroPoint)
            let expected = Self.naiveQuantizedMean(input: input, inputDims: dims, inputZeroPoint: inputZeroPoint, axes: axes,
                                                   multiplier: options.requantization.multiplier, shift: options.requantization.shift,
                                                   outputZeroPoint: outputZeroPoint)
            #expect(actual == expected, "dims \(dims) axes \(axes)")
        }
    }
}
