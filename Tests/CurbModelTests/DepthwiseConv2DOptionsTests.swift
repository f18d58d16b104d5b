import CurbModel
import Testing

@Suite struct DepthwiseConv2DOptionsTests {
    typealias Help = Conv2DOptionsTests

    static func code(_ options: DepthwiseConv2DOptions, _ inputs: [Tensor?], _ output: Tensor) -> ModelError.Code? {
        Help.failure { () throws(ModelError) in try Help.validate(options, inputs: inputs, output: output) }
    }

    @Test func depthMultiplierShapes() {
        // Input 3 channels × multiplier 2 = 6 output channels; filter [1, 3, 3, 6] scaled along axis 3;
        // dilation 2 makes the window 5 wide: (9 − 5) / 1 + 1 = 5 rows, (7 − 5) + 1 = 3 columns.
        let options = DepthwiseConv2DOptions(dilationHeight: 2, dilationWidth: 2, depthMultiplier: 2, requantization: Help.identity(6))
        let input = Help.activation([1, 9, 7, 3])
        let output = Help.activation([1, 5, 3, 6])
        #expect(Self.code(options, [input, Help.filter([1, 3, 3, 6], scales: 6, axis: 3), Help.bias(6)], output) == nil)
        // Per-channel scales must lie along axis 3 for depthwise.
        #expect(Self.code(options, [input, Help.filter([1, 3, 3, 6], scales: 1), nil], output) == nil)
        #expect(Self.code(options, [input, Help.filter([6, 3, 3, 6], scales: 6, axis: 0)], output) == .shapeMismatch)
        #expect(Self.code(options, [input, Help.filter([1, 3, 3, 3])], output) == .shapeMismatch)
        #expect(Self.code(options, [input, Help.filter([1, 3, 3, 6]), Help.bias(3)], output) == .shapeMismatch)
        #expect(Self.code(options, [input, Help.filter([1, 3, 3, 6])], Help.activation([1, 5, 3, 3])) == .shapeMismatch)
        var wrongCount = options
        wrongCount.requantization = Help.identity(3)
        #expect(Self.code(wrongCount, [input, Help.filter([1, 3, 3, 6])], output) == .invalidValue)
        var zeroMultiplier = options
        zeroMultiplier.depthMultiplier = 0
        #expect(Self.code(zeroMultiplier, [input, Help.filter([1, 3, 3, 6])], output) == .invalidValue)
    }

    @Test func factoryUsesThePerChannelFormula() {
        let scales: [Float] = [0.004, 0.0009, 0.02, 0.011]
        let options = DepthwiseConv2DOptions.make(inputScale: 0.031, filterScales: scales, outputScale: 0.07, outputZeroPoint: 4,
                                                  outputChannels: 4, depthMultiplier: 2, activation: .relu)
        #expect(options.depthMultiplier == 2)
        #expect(options.requantization == scales.map { QuantizationMath.quantizeMultiplier(Double(Float(0.031)) * Double($0) / Double(Float(0.07))) })
        #expect(options.activation == QuantizationMath.activationRange(.relu, scale: 0.07, zeroPoint: 4))
    }
}
