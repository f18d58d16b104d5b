import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct Conv2DTests {
    static let identity = Requantization(multiplier: 1 << 30, shift: 1)  // ×1 exactly
    static let half = Requantization(multiplier: 1 << 30, shift: 0)      // ×1/2, ties rounded up
    static let sixteenth = Requantization(multiplier: 1 << 30, shift: -3)

    /// Runs the kernel on fresh tensors and returns the output values.
    static func run(_ options: Conv2DOptions, input: [Int8], inputShape: [Int], inputZeroPoint: Int32 = 0,
                    filter: [Int8], filterShape: [Int], bias: [Int32]?, outputShape: [Int], outputZeroPoint: Int32 = 0) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 1, zeroPoint: inputZeroPoint)
        let filterTensor = TestTensor(shape: filterShape, int8: filter, scale: 1)
        let biasTensor = bias.map { TestTensor(shape: [$0.count], int32: $0) }
        let outputTensor = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        Conv2D(options: options, input: inputTensor.view, filter: filterTensor.view, bias: biasTensor?.view,
               output: outputTensor.view).run()
        return outputTensor.int8Values
    }

    @Test func strideTwoOnOddInputWithPaddingAndBias() {
        // Input 3×3, raw 1...9 with zp_in 1, so real values 0...8:   0 1 2 / 3 4 5 / 6 7 8.
        // 3×3 ones, stride 2, padding 1 (SAME): output 2×2, each window clipped to the image:
        // (0,0) rows 0–1 cols 0–1: 0+1+3+4 = 8;  (0,1) rows 0–1 cols 1–2: 1+2+4+5 = 12;
        // (1,0) rows 1–2 cols 0–1: 3+4+6+7 = 20; (1,1): 4+5+7+8 = 24.  + bias 2, ×1, + zp_out −3 → 7 11 19 23.
        let options = Conv2DOptions(strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1),
                                    requantization: [Self.identity])
        let output = Self.run(options, input: (1...9).map { Int8($0) }, inputShape: [1, 3, 3, 1], inputZeroPoint: 1,
                              filter: [Int8](repeating: 1, count: 9), filterShape: [1, 3, 3, 1], bias: [2],
                              outputShape: [1, 2, 2, 1], outputZeroPoint: -3)
        #expect(output == [7, 11, 19, 23])
    }

    @Test func samePaddingWithUnevenSplit() {
        // Input 4×4 real r·4+c; 3×3 ones, stride 2, SAME: out 2, total padding 1 → top/left 0, bottom/right 1.
        // (0,0) rows 0–2 cols 0–2: 3+15+27 = 45; (0,1) rows 0–2 cols 2–3: 2+3+6+7+10+11 = 39;
        // (1,0) rows 2–3 cols 0–2: 8+9+10+12+13+14 = 66; (1,1) rows 2–3 cols 2–3: 10+11+14+15 = 50.
        // ×1/2 with ties up: 22.5 → 23, 19.5 → 20, 33, 25.
        let resolved = Padding2D.resolve(.same, inputHeight: 4, inputWidth: 4, filterHeight: 3, filterWidth: 3,
                                         strideHeight: 2, strideWidth: 2)
        #expect(resolved.padding == Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        let options = Conv2DOptions(strideHeight: 2, strideWidth: 2, padding: resolved.padding, requantization: [Self.half])
        let output = Self.run(options, input: (0..<16).map { Int8($0) }, inputShape: [1, 4, 4, 1],
                              filter: [Int8](repeating: 1, count: 9), filterShape: [1, 3, 3, 1], bias: nil,
                              outputShape: [1, 2, 2, 1])
        #expect(output == [23, 20, 33, 25])
    }

    @Test func dilationTwo() {
        // Input 5×5 real r·5+c; 3×3 filter w = 1...9 with dilation 2 reads rows/cols 0, 2, 4 → one output.
        // Σ w·x = (1·0 + 2·2 + 3·4) + (4·10 + 5·12 + 6·14) + (7·20 + 8·22 + 9·24) = 16 + 184 + 532 = 732.
        // + bias −32 = 700; ×1/16: SRDHM 350, RDBPOT(350, 3) = 43.75 → 44; + zp_out 5 → 49.
        let options = Conv2DOptions(dilationHeight: 2, dilationWidth: 2, requantization: [Self.sixteenth])
        let output = Self.run(options, input: (0..<25).map { Int8($0) }, inputShape: [1, 5, 5, 1],
                              filter: (1...9).map { Int8($0) }, filterShape: [1, 3, 3, 1], bias: [-32],
                              outputShape: [1, 1, 1, 1], outputZeroPoint: 5)
        #expect(output == [49])
    }

    @Test func twoGroups() {
        // Input channels [1, 2, 3, 4]; filter [4, 1, 1, 2] → groups = 4 / 2, two filters per group.
        // o0 = 1·1 + 1·2 = 3; o1 = 2·1 + 0·2 = 2 (group 0 reads channels 0–1);
        // o2 = 1·3 − 1·4 = −1; o3 = 0·3 + 3·4 = 12 (group 1 reads channels 2–3).
        let options = Conv2DOptions(requantization: [Requantization](repeating: Self.identity, count: 4))
        let output = Self.run(options, input: [1, 2, 3, 4], inputShape: [1, 1, 1, 4],
                              filter: [1, 1, 2, 0, 1, -1, 0, 3], filterShape: [4, 1, 1, 2], bias: nil,
                              outputShape: [1, 1, 1, 4])
        #expect(output == [3, 2, -1, 12])
    }

    @Test func fiveByFiveKernelBatchTwoWithReLU6Clamp() {
        // Input 5×5×1, batch 0 all real 1, batch 1 all real 2; 5×5 ones, SAME (padding 2): a window covers
        // counts[y] · counts[x] pixels with counts = [3, 4, 5, 4, 3]. ×1, zp_out −10, ReLU6 at scale 0.25:
        // [max(−128, −10 + 0), min(127, −10 + 24)] = [−10, 14].
        let activation = QuantizationMath.activationRange(.relu6, scale: 0.25, zeroPoint: -10)
        #expect(activation == ActivationRange(minimum: -10, maximum: 14))
        let options = Conv2DOptions(padding: Padding2D(top: 2, left: 2, bottom: 2, right: 2), activation: activation,
                                    requantization: [Self.identity])
        let input = [Int8](repeating: 1, count: 25) + [Int8](repeating: 2, count: 25)
        let output = Self.run(options, input: input, inputShape: [2, 5, 5, 1], filter: [Int8](repeating: 1, count: 25),
                              filterShape: [1, 5, 5, 1], bias: nil, outputShape: [2, 5, 5, 1], outputZeroPoint: -10)
        let counts = [3, 4, 5, 4, 3]
        var expected: [Int8] = []
        for value in [1, 2] {
            for y in 0..<5 { for x in 0..<5 { expected.append(Int8(min(max(counts[y] * counts[x] * value - 10, -10), 14))) } }
        }
        #expect(output == expected)
        #expect(output[12] == 14 && output[0] == -1)  // centre 25 − 10 clamped; corner 9 − 10
    }

    // MARK: Randomized against the TFLite formula

    /// `reference_integer_ops::ConvPerChannel`, literally.
    static func naiveConv(input: [Int8], inputShape: [Int], inputZeroPoint: Int32, filter: [Int8], filterShape: [Int],
                          bias: [Int32]?, options: Conv2DOptions, outputShape: [Int], outputZeroPoint: Int32) -> [Int8] {
        let (batches, inputHeight, inputWidth, inputDepth) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (outputDepth, filterHeight, filterWidth, filterInputDepth) = (filterShape[0], filterShape[1], filterShape[2], filterShape[3])
        let (outputHeight, outputWidth) = (outputShape[1], outputShape[2])
        let groups = inputDepth / filterInputDepth
        let filtersPerGroup = outputDepth / groups
        var output = [Int8](repeating: 0, count: batches * outputHeight * outputWidth * outputDepth)
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                let inYOrigin = outY * Int(options.strideHeight) - Int(options.padding.top)
                for outX in 0..<outputWidth {
                    let inXOrigin = outX * Int(options.strideWidth) - Int(options.padding.left)
                    for outChannel in 0..<outputDepth {
                        let group = outChannel / filtersPerGroup
                        var acc: Int32 = 0
                        for filterY in 0..<filterHeight {
                            let inY = inYOrigin + Int(options.dilationHeight) * filterY
                            for filterX in 0..<filterWidth {
                                let inX = inXOrigin + Int(options.dilationWidth) * filterX
                                let isPointInsideImage = inX >= 0 && inX < inputWidth && inY >= 0 && inY < inputHeight
                                if !isPointInsideImage { continue }
                                for inChannel in 0..<filterInputDepth {
                                    let inputValue = Int32(input[((batch * inputHeight + inY) * inputWidth + inX) * inputDepth
                                                                 + inChannel + group * filterInputDepth])
                                    let filterValue = Int32(filter[((outChannel * filterHeight + filterY) * filterWidth + filterX)
                                                                   * filterInputDepth + inChannel])
                                    acc += filterValue * (inputValue - inputZeroPoint)
                                }
                            }
                        }
                        if let bias { acc += bias[outChannel] }
                        let r = options.requantization[outChannel]
                        acc = FixedPointTests.naiveMultiplyByQuantizedMultiplier(acc, r.multiplier, r.shift)
                        acc += outputZeroPoint
                        acc = max(acc, options.activation.minimum)
                        acc = min(acc, options.activation.maximum)
                        output[((batch * outputHeight + outY) * outputWidth + outX) * outputDepth + outChannel] = Int8(acc)
                    }
                }
            }
        }
        return output
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0xC0_2D)
        var checked = 0
        for _ in 0..<60 {
            let groups = [1, 1, 2, 3].randomElement(using: &random)!
            let filterDepth = [1, 2, 3, 7].randomElement(using: &random)!
            let inputDepth = groups * filterDepth
            let outputDepth = groups * Int.random(in: 1...3, using: &random)
            let batches = Int.random(in: 1...2, using: &random)
            let kernel = [1, 1, 2, 3, 5].randomElement(using: &random)!
            let (strideH, strideW) = (Int.random(in: 1...3, using: &random), Int.random(in: 1...3, using: &random))
            let (dilationH, dilationW) = (Int.random(in: 1...2, using: &random), Int.random(in: 1...2, using: &random))
            let height = Int.random(in: 1...9, using: &random), width = Int.random(in: 1...9, using: &random)
            let scheme: PaddingScheme = Bool.random(using: &random) ? .same : .valid
            let resolved = Padding2D.resolve(scheme, inputHeight: height, inputWidth: width, filterHeight: kernel, filterWidth: kernel,
                                             strideHeight: strideH, strideWidth: strideW, dilationHeight: dilationH,
                                             dilationWidth: dilationW)
            guard resolved.outputHeight > 0, resolved.outputWidth > 0 else { continue }
            let taps = kernel * kernel * filterDepth
            let requantization = (0..<outputDepth).map { _ in
                Requantization(multiplier: Int32.random(in: (1 << 30) ... .max, using: &random),
                               shift: Int32(-(taps.bitWidth - taps.leadingZeroBitCount) - Int.random(in: 4...8, using: &random)))
            }
            let activation = Bool.random(using: &random) ? ActivationRange.int8 : ActivationRange(minimum: -20, maximum: 90)
            let options = Conv2DOptions(strideHeight: Int32(strideH), strideWidth: Int32(strideW), dilationHeight: Int32(dilationH),
                                        dilationWidth: Int32(dilationW), padding: resolved.padding, activation: activation,
                                        requantization: requantization)
            let inputShape = [batches, height, width, inputDepth]
            let filterShape = [outputDepth, kernel, kernel, filterDepth]
            let outputShape = [batches, resolved.outputHeight, resolved.outputWidth, outputDepth]
            let input = random.int8Values(inputShape.reduce(1, *))
            let filter = random.int8Values(filterShape.reduce(1, *), in: -127...127)
            let bias: [Int32]? = Bool.random(using: &random) ? (0..<outputDepth).map { _ in Int32.random(in: -5000...5000, using: &random) } : nil
            let inputZeroPoint = Int32.random(in: -128...127, using: &random)
            let outputZeroPoint = Int32.random(in: -128...127, using: &random)
            let actual = Self.run(options, input: input, inputShape: inputShape, inputZeroPoint: inputZeroPoint, filter: filter,
                                  filterShape: filterShape, bias: bias, outputShape: outputShape, outputZeroPoint: outputZeroPoint)
            let expected = Self.naiveConv(input: input, inputShape: inputShape, inputZeroPoint: inputZeroPoint, filter: filter,
                                          filterShape: filterShape, bias: bias, options: options, outputShape: outputShape,
                                          outputZeroPoint: outputZeroPoint)
            #expect(actual == expected, "shape \(inputShape) filter \(filterShape) options \(options)")
            checked += 1
        }
        #expect(checked >= 45)
    }

    @Test func runAllocatesNothing() {
        let input = TestTensor(shape: [1, 4, 4, 2], int8: (0..<32).map { Int8($0) }, scale: 1, zeroPoint: 0)
        let filter = TestTensor(shape: [2, 3, 3, 2], int8: [Int8](repeating: 1, count: 36), scale: 1)
        let bias = TestTensor(shape: [2], int32: [1, 2])
        let output = TestTensor(shape: [1, 2, 2, 2], scale: 1, zeroPoint: 0)
        let kernel = Conv2D(options: Conv2DOptions(strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1),
                                                   requantization: [Self.half, Self.half]),
                            input: input.view, filter: filter.view, bias: bias.view, output: output.view)
        kernel.run()
        #expect(allocationCount { for _ in 0..<100 { kernel.run() } } == 0)
    }

    @Test func interpreterBuildsTheKernelFromTheOptions() throws {
        // A validated one-operator model: 1×1 conv with 3 input and 7 output channels, all weights 1, ×1.
        // Every output channel is the sum of the three inputs (real values 1, 2, 3 with zp_in −1) = 6 + bias[c].
        var builder = ModelBuilder()
        let input = builder.addActivation("in", shape: [1, 1, 1, 3], quantization: Quantization(scale: 0.5, zeroPoint: -1))
        let filter = builder.addConstant("w", shape: [7, 1, 1, 3], quantization: Quantization(scales: [Float](repeating: 0.01, count: 7), axis: 0),
                                         int8: [Int8](repeating: 1, count: 21))
        let bias = builder.addConstant("b", shape: [7], int32: (0..<7).map { Int32($0) })
        let output = builder.addActivation("out", shape: [1, 1, 1, 7], quantization: Quantization(scale: 0.005, zeroPoint: 0))
        builder.addOperator(.conv2D(Conv2DOptions(requantization: [Requantization](repeating: Self.identity, count: 7))),
                            inputs: [input, filter, bias], outputs: [output])
        let interpreter = try Interpreter(model: builder.finish(inputs: [input], outputs: [output], metadata: ModelMetadata(name: "conv")))
        let values: [Int8] = [0, 1, 2]
        for (index, value) in values.enumerated() { interpreter.input().int8[index] = value }
        interpreter.invoke()
        #expect((0..<7).map { interpreter.output().int8[$0] } == (0..<7).map { Int8(6 + $0) })
    }
}
