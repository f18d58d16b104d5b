import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct DepthwiseConv2DTests {
    static let identity = Requantization(multiplier: 1 << 30, shift: 1)
    static let half = Requantization(multiplier: 1 << 30, shift: 0)
    static let quarter = Requantization(multiplier: 1 << 30, shift: -1)

    static func run(_ options: DepthwiseConv2DOptions, input: [Int8], inputShape: [Int], inputZeroPoint: Int32 = 0,
                    filter: [Int8], filterShape: [Int], bias: [Int32]?, outputShape: [Int], outputZeroPoint: Int32 = 0) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 1, zeroPoint: inputZeroPoint)
        let filterTensor = TestTensor(shape: filterShape, int8: filter, scale: 1)
        let biasTensor = bias.map { TestTensor(shape: [$0.count], int32: $0) }
        let outputTensor = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        DepthwiseConv2D(options: options, input: inputTensor.view, filter: filterTensor.view, bias: biasTensor?.view,
                        output: outputTensor.view).run()
        return outputTensor.int8Values
    }

    @Test func depthMultiplierTwoWithPerChannelRequantization() {
        // Input 2×2×2: channel 0 = 1 2 3 4, channel 1 = 10 20 30 40 (positions (0,0) (0,1) (1,0) (1,1)).
        // Output channel o = c·2 + j over the 2×2 window (VALID → 1×1):
        // o0 (c0) weights 1 1 1 1 → 10;  o1 (c0) 1 0 0 −1 → 1 − 4 = −3;
        // o2 (c1) 1 1 0 0 → 30;          o3 (c1) 0 0 0 1 → 40.
        // + bias [0, 0, 1, −1] → 10, −3, 31, 39; requantization ×1, ×1, ×1/2, ×1/4:
        // 10; −3; 15.5 → 16; SRDHM(39) = 19.5 → 20, RDBPOT(20, 1) = 10. + zp_out 3 → 13, 0, 19, 13.
        let options = DepthwiseConv2DOptions(depthMultiplier: 2, requantization: [Self.identity, Self.identity, Self.half, Self.quarter])
        // Filter layout [1, KH, KW, 4]: per tap (ky, kx), the four output channels.
        let filter: [Int8] = [1, 1, 1, 0,   // tap (0,0)
                              1, 0, 1, 0,   // tap (0,1)
                              1, 0, 0, 0,   // tap (1,0)
                              1, -1, 0, 1]  // tap (1,1)
        let output = Self.run(options, input: [1, 10, 2, 20, 3, 30, 4, 40], inputShape: [1, 2, 2, 2], filter: filter,
                              filterShape: [1, 2, 2, 4], bias: [0, 0, 1, -1], outputShape: [1, 1, 1, 4], outputZeroPoint: 3)
        #expect(output == [13, 0, 19, 13])
    }

    @Test func dilationTwoStrideTwoOnOddInputWithSamePadding() {
        // Input 5×5 real r·5+c; 2×2 filter [[1, 2], [3, 4]] with dilation 2 (extent 3), stride 2, SAME: out 3,
        // padding 1 each side; output (y, x) reads rows 2y−1, 2y+1 and cols 2x−1, 2x+1 where inside:
        // (0,0): 4·x(1,1)=24 | (0,1): 3·6 + 4·8 = 50 | (0,2): 3·8 = 24
        // (1,0): 2·6 + 4·16 = 76 | (1,1): 6 + 16 + 48 + 72 = 142 | (1,2): 8 + 3·18 = 62
        // (2,0): 2·16 = 32 | (2,1): 16 + 2·18 = 52 | (2,2): 18.   ×1/2 (all even) → 12 25 12 38 71 31 16 26 9.
        let resolved = Padding2D.resolve(.same, inputHeight: 5, inputWidth: 5, filterHeight: 2, filterWidth: 2,
                                         strideHeight: 2, strideWidth: 2, dilationHeight: 2, dilationWidth: 2)
        #expect(resolved.padding == Padding2D(top: 1, left: 1, bottom: 1, right: 1) && resolved.outputHeight == 3)
        let options = DepthwiseConv2DOptions(strideHeight: 2, strideWidth: 2, dilationHeight: 2, dilationWidth: 2,
                                             padding: resolved.padding, requantization: [Self.half])
        let output = Self.run(options, input: (0..<25).map { Int8($0) }, inputShape: [1, 5, 5, 1], filter: [1, 2, 3, 4],
                              filterShape: [1, 2, 2, 1], bias: nil, outputShape: [1, 3, 3, 1])
        #expect(output == [12, 25, 12, 38, 71, 31, 16, 26, 9])
    }

    // MARK: Randomized against the TFLite formula

    /// `reference_integer_ops::DepthwiseConvPerChannel`, literally.
    static func naiveDepthwise(input: [Int8], inputShape: [Int], inputZeroPoint: Int32, filter: [Int8], filterShape: [Int],
                               bias: [Int32]?, options: DepthwiseConv2DOptions, outputShape: [Int], outputZeroPoint: Int32) -> [Int8] {
        let (batches, inputHeight, inputWidth, inputDepth) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (filterHeight, filterWidth) = (filterShape[1], filterShape[2])
        let (outputHeight, outputWidth, outputDepth) = (outputShape[1], outputShape[2], outputShape[3])
        let depthMultiplier = Int(options.depthMultiplier)
        var output = [Int8](repeating: 0, count: batches * outputHeight * outputWidth * outputDepth)
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                for outX in 0..<outputWidth {
                    for inChannel in 0..<inputDepth {
                        for m in 0..<depthMultiplier {
                            let outputChannel = m + inChannel * depthMultiplier
                            let inXOrigin = outX * Int(options.strideWidth) - Int(options.padding.left)
                            let inYOrigin = outY * Int(options.strideHeight) - Int(options.padding.top)
                            var acc: Int32 = 0
                            for filterY in 0..<filterHeight {
                                for filterX in 0..<filterWidth {
                                    let inX = inXOrigin + Int(options.dilationWidth) * filterX
                                    let inY = inYOrigin + Int(options.dilationHeight) * filterY
                                    let isPointInsideImage = inX >= 0 && inX < inputWidth && inY >= 0 && inY < inputHeight
                                    if isPointInsideImage {
                                        let inputValue = Int32(input[((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + inChannel])
                                        let filterValue = Int32(filter[(filterY * filterWidth + filterX) * outputDepth + outputChannel])
                                        acc += filterValue * (inputValue - inputZeroPoint)
                                    }
                                }
                            }
                            if let bias { acc += bias[outputChannel] }
                            let r = options.requantization[outputChannel]
                            acc = FixedPointTests.naiveMultiplyByQuantizedMultiplier(acc, r.multiplier, r.shift)
                            acc += outputZeroPoint
                            acc = max(acc, options.activation.minimum)
                            acc = min(acc, options.activation.maximum)
                            output[((batch * outputHeight + outY) * outputWidth + outX) * outputDepth + outputChannel] = Int8(acc)
                        }
                    }
                }
            }
        }
        return output
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0xD3_97)
        var checked = 0
        for _ in 0..<60 {
            let inputDepth = [1, 2, 3, 7].randomElement(using: &random)!
            let multiplier = Int.random(in: 1...3, using: &random)
            let outputDepth = inputDepth * multiplier
            let batches = Int.random(in: 1...2, using: &random)
            let (kernelH, kernelW) = ([1, 2, 3, 5].randomElement(using: &random)!, [1, 2, 3, 5].randomElement(using: &random)!)
            let (strideH, strideW) = (Int.random(in: 1...3, using: &random), Int.random(in: 1...3, using: &random))
            let (dilationH, dilationW) = (Int.random(in: 1...2, using: &random), Int.random(in: 1...2, using: &random))
            let height = Int.random(in: 1...9, using: &random), width = Int.random(in: 1...9, using: &random)
            let scheme: PaddingScheme = Bool.random(using: &random) ? .same : .valid
            let resolved = Padding2D.resolve(scheme, inputHeight: height, inputWidth: width, filterHeight: kernelH, filterWidth: kernelW,
                                             strideHeight: strideH, strideWidth: strideW, dilationHeight: dilationH,
                                             dilationWidth: dilationW)
            guard resolved.outputHeight > 0, resolved.outputWidth > 0 else { continue }
            let requantization = (0..<outputDepth).map { _ in
                Requantization(multiplier: Int32.random(in: (1 << 30) ... .max, using: &random), shift: Int32.random(in: -12 ... -5, using: &random))
            }
            let activation = Bool.random(using: &random) ? ActivationRange.int8 : ActivationRange(minimum: -30, maximum: 60)
            let options = DepthwiseConv2DOptions(strideHeight: Int32(strideH), strideWidth: Int32(strideW),
                                                 dilationHeight: Int32(dilationH), dilationWidth: Int32(dilationW),
                                                 padding: resolved.padding, depthMultiplier: Int32(multiplier),
                                                 activation: activation, requantization: requantization)
            let inputShape = [batches, height, width, inputDepth]
            let filterShape = [1, kernelH, kernelW, outputDepth]
            let outputShape = [batches, resolved.outputHeight, resolved.outputWidth, outputDepth]
            let input = random.int8Values(inputShape.reduce(1, *))
            let filter = random.int8Values(filterShape.reduce(1, *), in: -127...127)
            let bias: [Int32]? = Bool.random(using: &random) ? (0..<outputDepth).map { _ in Int32.random(in: -3000...3000, using: &random) } : nil
            let inputZeroPoint = Int32.random(in: -128...127, using: &random)
            let outputZeroPoint = Int32.random(in: -128...127, using: &random)
            let actual = Self.run(options, input: input, inputShape: inputShape, inputZeroPoint: inputZeroPoint, filter: filter,
                                  filterShape: filterShape, bias: bias, outputShape: outputShape, outputZeroPoint: outputZeroPoint)
            let expected = Self.naiveDepthwise(input: input, inputShape: inputShape, inputZeroPoint: inputZeroPoint, filter: filter,
                                               filterShape: filterShape, bias: bias, options: options, outputShape: outputShape,
                                               outputZeroPoint: outputZeroPoint)
            #expect(actual == expected, "shape \(inputShape) filter \(filterShape) options \(options)")
            checked += 1
        }
        #expect(checked >= 45)
    }
}
