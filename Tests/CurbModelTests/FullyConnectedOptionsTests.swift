import CurbModel
import Testing

@Suite struct FullyConnectedOptionsTests {
    typealias Help = Conv2DOptionsTests

    static func code(_ options: FullyConnectedOptions, _ inputs: [Tensor?], _ output: Tensor) -> ModelError.Code? {
        Help.failure { () throws(ModelError) in try Help.validate(options, inputs: inputs, output: output) }
    }

    @Test func shapesAndRequantizationCounts() {
        let perTensor = FullyConnectedOptions(requantization: Help.identity(1))
        let perUnit = FullyConnectedOptions(requantization: Help.identity(5))
        let filter = Help.filter([5, 12])
        // Any input whose element count is a multiple of the depth: [2, 3, 4] is 2 rows of 12.
        #expect(Self.code(perTensor, [Help.activation([2, 3, 4]), filter, Help.bias(5)], Help.activation([2, 5])) == nil)
        // Keep-num-dims form: the input's shape with its last dimension (= depth) replaced by the units.
        #expect(Self.code(perUnit, [Help.activation([1, 3, 12]), filter], Help.activation([1, 3, 5])) == nil)
        #expect(Self.code(perTensor, [Help.activation([2, 3, 4]), filter], Help.activation([2, 3, 5])) == .shapeMismatch)
        #expect(Self.code(perTensor, [Help.activation([5, 5]), filter], Help.activation([2, 5])) == .shapeMismatch)
        #expect(Self.code(perTensor, [Help.activation([2, 12]), filter], Help.activation([2, 4])) == .shapeMismatch)
        // Per-channel weights need one requantization per unit; per-tensor weights take 1 or one per unit.
        #expect(Self.code(perTensor, [Help.activation([2, 12]), Help.filter([5, 12], scales: 5)], Help.activation([2, 5])) == .invalidValue)
        #expect(Self.code(perUnit, [Help.activation([2, 12]), Help.filter([5, 12], scales: 5)], Help.activation([2, 5])) == nil)
        #expect(Self.code(FullyConnectedOptions(requantization: Help.identity(2)), [Help.activation([2, 12]), filter],
                          Help.activation([2, 5])) == .invalidValue)
        #expect(Self.code(perTensor, [Help.activation([2, 12]), Help.filter([5, 12], zeroPoint: 3)], Help.activation([2, 5])) == .quantization)
        #expect(Self.code(perTensor, [Help.activation([2, 12]), Help.filter([5, 3, 4])], Help.activation([2, 5])) == .shapeMismatch)
    }

    @Test func perTensorFactoryMultipliesScalesInFloat() {
        // TFLite's per-tensor FC rounds s_in · s_w to float before widening; find seeded scales where that
        // differs from the double product, and check the factory follows the float one.
        var differing = 0
        var state: UInt32 = 12_345
        for _ in 0..<500 {
            state = state &* 1_664_525 &+ 1_013_904_223
            let inputScale = Float(state >> 8) / Float(1 << 24) * 0.1 + 0.001
            state = state &* 1_664_525 &+ 1_013_904_223
            let filterScale = Float(state >> 8) / Float(1 << 24) * 0.01 + 0.0001
            let outputScale: Float = 0.0371
            let options = FullyConnectedOptions.make(inputScale: inputScale, filterScales: [filterScale], outputScale: outputScale,
                                                     outputZeroPoint: 0)
            let product = inputScale * filterScale
            let viaFloat = QuantizationMath.quantizeMultiplier(Double(product) / Double(outputScale))
            let viaDouble = QuantizationMath.quantizeMultiplier(Double(inputScale) * Double(filterScale) / Double(outputScale))
            #expect(options.requantization == [viaFloat])
            if viaFloat != viaDouble { differing += 1 }
        }
        #expect(differing > 0)
    }

    @Test func perChannelFactory() {
        let scales: [Float] = [0.002, 0.0041, 0.013]
        let options = FullyConnectedOptions.make(inputScale: 0.05, filterScales: scales, outputScale: 0.1, outputZeroPoint: -128,
                                                 activation: .relu6)
        #expect(options.requantization == scales.map { QuantizationMath.quantizeMultiplier(Double(Float(0.05)) * Double($0) / Double(Float(0.1))) })
        // ReLU6 at scale 0.1, zp −128: [−128 + 0, min(127, −128 + 60)] = [−128, −68].
        #expect(options.activation == ActivationRange(minimum: -128, maximum: -68))
    }
}
