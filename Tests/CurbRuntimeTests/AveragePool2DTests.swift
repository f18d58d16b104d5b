import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct AveragePool2DTests {
    static func run(_ options: Pool2DOptions, input: [Int8], inputShape: [Int], outputShape: [Int]) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 0.5, zeroPoint: 3)
        let outputTensor = TestTensor(shape: outputShape, scale: 0.5, zeroPoint: 3)
        options.makeKernel(kind: .averagePool2D, inputs: [inputTensor.view], outputs: [outputTensor.view]).run()
        return outputTensor.int8Values
    }

    static let nine: [Int8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]

    @Test func strideTwoOnOddInputExcludesPaddedTaps() {
        // 3×3 input 1...9, 2×2 window, stride 2, SAME: out 2, padding 0 before / 1 after.
        // (0,0): 1+2+4+5 = 12 / 4 = 3;  (0,1): 3+6 = 9 / 2 → (9 + 1) / 2 = 5;
        // (1,0): 7+8 = 15 / 2 → (15 + 1) / 2 = 8;  (1,1): 9 / 1 = 9.  Padded taps count in neither sum nor n.
        let resolved = Padding2D.resolve(.same, inputHeight: 3, inputWidth: 3, filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2)
        #expect(resolved.padding == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        let options = Pool2DOptions(filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, padding: resolved.padding)
        #expect(Self.run(options, input: Self.nine, inputShape: [1, 3, 3, 1], outputShape: [1, 2, 2, 1]) == [3, 5, 8, 9])
        // The same with a clamp [4, 8]: 3 → 4, 9 → 8.
        var clamped = options
        clamped.activation = ActivationRange(minimum: 4, maximum: 8)
        #expect(Self.run(clamped, input: Self.nine, inputShape: [1, 3, 3, 1], outputShape: [1, 2, 2, 1]) == [4, 5, 8, 8])
    }

    @Test func paddingOnEverySideCountsOnlyInsideTaps() {
        // 3×3 input 1...9, 3×3 window, stride 1, padding 1: corners average 4 pixels, edges 6, the centre 9.
        // (0,0) 12/4 = 3; (0,1) 21/6 = 3.5 → 4; (0,2) 16/4 = 4; (1,0) 27/6 = 4.5 → 5; (1,1) 45/9 = 5;
        // (1,2) 33/6 = 5.5 → 6; (2,0) 24/4 = 6; (2,1) 39/6 = 6.5 → 7; (2,2) 28/4 = 7.
        let options = Pool2DOptions(filterHeight: 3, filterWidth: 3, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1))
        #expect(Self.run(options, input: Self.nine, inputShape: [1, 3, 3, 1], outputShape: [1, 3, 3, 1]) == [3, 4, 4, 5, 5, 6, 6, 7, 7])
    }

    @Test func negativeAndTiedAveragesRoundAwayFromZero() {
        // 2×2 window over 2×2 inputs, two channels, two batches (VALID → 1×1):
        // b0 c0: −1 −2 −2 −2 = −7 → (−7 − 2) / 4 = −2 (−1.75);  b0 c1: −1 −2 −3 −4 = −10 → (−12) / 4 = −3 (−2.5);
        // b1 c0: 1 2 3 4 = 10 → 12 / 4 = 3 (2.5);               b1 c1: 1 1 1 2 = 5 → 7 / 4 = 1 (1.25).
        let input: [Int8] = [-1, -1, -2, -2, -2, -3, -2, -4,
                             1, 1, 2, 1, 3, 1, 4, 2]
        let options = Pool2DOptions(filterHeight: 2, filterWidth: 2)
        #expect(Self.run(options, input: input, inputShape: [2, 2, 2, 2], outputShape: [2, 1, 1, 2]) == [-2, -3, 3, 1])
    }

    /// `reference_integer_ops::AveragePool`, literally.
    static func naiveAveragePool(input: [Int8], inputShape: [Int], options: Pool2DOptions, outputShape: [Int]) -> [Int8] {
        let (batches, inputHeight, inputWidth, depth) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (outputHeight, outputWidth) = (outputShape[1], outputShape[2])
        var output = [Int8](repeating: 0, count: batches * outputHeight * outputWidth * depth)
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                for outX in 0..<outputWidth {
                    for channel in 0..<depth {
                        let inXOrigin = outX * Int(options.strideWidth) - Int(options.padding.left)
                        let inYOrigin = outY * Int(options.strideHeight) - Int(options.padding.top)
                        let filterXStart = max(0, -inXOrigin)
                        let filterXEnd = min(Int(options.filterWidth), inputWidth - inXOrigin)
                        let filterYStart = max(0, -inYOrigin)
                        let filterYEnd = min(Int(options.filterHeight), inputHeight - inYOrigin)
                        var acc: Int32 = 0
                        var filterCount: Int32 = 0
                        var filterY = filterYStart
                        while filterY < filterYEnd {
                            var filterX = filterXStart
                            while filterX < filterXEnd {
                                let inX = inXOrigin + filterX, inY = inYOrigin + filterY
                                acc += Int32(input[((batch * inputHeight + inY) * inputWidth + inX) * depth + channel])
                                filterCount += 1
                                filterX += 1
                            }
                            filterY += 1
                        }
                        precondition(filterCount > 0)
                        acc = acc > 0 ? (acc + filterCount / 2) / filterCount : (acc - filterCount / 2) / filterCount
                        acc = max(acc, options.activation.minimum)
                        acc = min(acc, options.activation.maximum)
                        output[((batch * outputHeight + outY) * outputWidth + outX) * depth + channel] = Int8(acc)
                    }
                }
            }
        }
        return output
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0xA7_90)
        var checked = 0
        for _ in 0..<80 {
            let depth = [1, 3, 7].randomElement(using: &random)!
            let batches = Int.random(in: 1...2, using: &random)
            let (filterH, filterW) = (Int.random(in: 1...5, using: &random), Int.random(in: 1...5, using: &random))
            let (strideH, strideW) = (Int.random(in: 1...3, using: &random), Int.random(in: 1...3, using: &random))
            let height = Int.random(in: 1...9, using: &random), width = Int.random(in: 1...9, using: &random)
            let scheme: PaddingScheme = Bool.random(using: &random) ? .same : .valid
            let resolved = Padding2D.resolve(scheme, inputHeight: height, inputWidth: width, filterHeight: filterH, filterWidth: filterW,
                                             strideHeight: strideH, strideWidth: strideW)
            guard resolved.outputHeight > 0, resolved.outputWidth > 0 else { continue }
            let options = Pool2DOptions(filterHeight: Int32(filterH), filterWidth: Int32(filterW), strideHeight: Int32(strideH),
                                        strideWidth: Int32(strideW), padding: resolved.padding,
                                        activation: Bool.random(using: &random) ? .int8 : ActivationRange(minimum: -40, maximum: 70))
            let inputShape = [batches, height, width, depth]
            let outputShape = [batches, resolved.outputHeight, resolved.outputWidth, depth]
            let input = random.int8Values(inputShape.reduce(1, *))
            #expect(Self.run(options, input: input, inputShape: inputShape, outputShape: outputShape)
                    == Self.naiveAveragePool(input: input, inputShape: inputShape, options: options, outputShape: outputShape),
                    "input \(inputShape) options \(options)")
            checked += 1
        }
        #expect(checked >= 60)
    }
}
