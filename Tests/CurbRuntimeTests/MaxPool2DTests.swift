import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct MaxPool2DTests {
    static func run(_ options: Pool2DOptions, input: [Int8], inputShape: [Int], outputShape: [Int]) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 0.5, zeroPoint: -1)
        let outputTensor = TestTensor(shape: outputShape, scale: 0.5, zeroPoint: -1)
        options.makeKernel(kind: .maxPool2D, inputs: [inputTensor.view], outputs: [outputTensor.view]).run()
        return outputTensor.int8Values
    }

    @Test func paddedTapsAreIgnoredNotZero() {
        // 3×3 input −1 … −9, 3×3 window, SAME (padding 1): were padded taps zeros, every output would be 0.
        // Each window's maximum is its top-left pixel inside the image:
        // (0,0) −1, (0,1) −1, (0,2) −2, (1,0) −1, (1,1) −1, (1,2) −2, (2,0) −4, (2,1) −4, (2,2) −5.
        let options = Pool2DOptions(filterHeight: 3, filterWidth: 3, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1))
        let output = Self.run(options, input: (1...9).map { Int8(-$0) }, inputShape: [1, 3, 3, 1], outputShape: [1, 3, 3, 1])
        #expect(output == [-1, -1, -2, -1, -1, -2, -4, -4, -5])
    }

    @Test func strideTwoOnOddInputWithClamp() {
        // 5×5 input r·5+c − 12; 2×2 window, stride 2, VALID → 2×2 (the last row and column are never read).
        // Maxima x(1,1) = −6, x(1,3) = −4, x(3,1) = 4, x(3,3) = 6; clamp [−5, 5] → −5, −4, 4, 5.
        let options = Pool2DOptions(filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2,
                                    activation: ActivationRange(minimum: -5, maximum: 5))
        let output = Self.run(options, input: (0..<25).map { Int8($0 - 12) }, inputShape: [1, 5, 5, 1], outputShape: [1, 2, 2, 1])
        #expect(output == [-5, -4, 4, 5])
    }

    /// `reference_integer_ops::MaxPool`, literally.
    static func naiveMaxPool(input: [Int8], inputShape: [Int], options: Pool2DOptions, outputShape: [Int]) -> [Int8] {
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
                        var maximum = Int8.min
                        var filterY = filterYStart
                        while filterY < filterYEnd {
                            var filterX = filterXStart
                            while filterX < filterXEnd {
                                let inX = inXOrigin + filterX, inY = inYOrigin + filterY
                                maximum = max(maximum, input[((batch * inputHeight + inY) * inputWidth + inX) * depth + channel])
                                filterX += 1
                            }
                            filterY += 1
                        }
                        maximum = max(maximum, Int8(options.activation.minimum))
                        maximum = min(maximum, Int8(options.activation.maximum))
                        output[((batch * outputHeight + outY) * outputWidth + outX) * depth + channel] = maximum
                    }
                }
            }
        }
        return output
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0x3A_9F)
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
                    == Self.naiveMaxPool(input: input, inputShape: inputShape, options: options, outputShape: outputShape),
                    "input \(inputShape) options \(options)")
            checked += 1
        }
        #expect(checked >= 60)
    }
}
