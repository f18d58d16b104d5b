import CurbModel
import Testing

@Suite struct Pool2DOptionsTests {
    typealias Help = Conv2DOptionsTests

    static func code(_ options: Pool2DOptions, _ input: Tensor, _ output: Tensor) -> ModelError.Code? {
        Help.failure { () throws(ModelError) in try Help.validate(options, inputs: [input], output: output) }
    }

    @Test func sharedQuantizationAndShapes() {
        // 7×7, 3×3 window, stride 2, padding 1: (7 + 2 − 3) / 2 + 1 = 4.
        let options = Pool2DOptions(filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2,
                                    padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1))
        let input = Help.activation([2, 7, 7, 3], scale: 0.25, zeroPoint: 5)
        #expect(Self.code(options, input, Help.activation([2, 4, 4, 3], scale: 0.25, zeroPoint: 5)) == nil)
        // Scales within 1e-6 are the same for TFLite; further apart they are not. Zero points must match.
        #expect(Self.code(options, input, Help.activation([2, 4, 4, 3], scale: 0.2500005, zeroPoint: 5)) == nil)
        #expect(Self.code(options, input, Help.activation([2, 4, 4, 3], scale: 0.250003, zeroPoint: 5)) == .quantization)
        #expect(Self.code(options, input, Help.activation([2, 4, 4, 3], scale: 0.25, zeroPoint: 4)) == .quantization)
        #expect(Self.code(options, input, Help.activation([2, 3, 4, 3], scale: 0.25, zeroPoint: 5)) == .shapeMismatch)
        #expect(Self.code(options, input, Help.activation([2, 4, 4, 2], scale: 0.25, zeroPoint: 5)) == .shapeMismatch)
    }

    @Test func windowsMustTouchTheInput() {
        // Padding 2 before a 2-wide window: the first window lies entirely in the padding.
        let options = Pool2DOptions(filterHeight: 2, filterWidth: 2, padding: Padding2D(top: 2, left: 0, bottom: 0, right: 0))
        #expect(Self.code(options, Help.activation([1, 4, 4, 1]), Help.activation([1, 5, 3, 1])) == .invalidValue)
        // Padding 3 after a 2-wide window with stride 1: the last window starts past the input.
        let trailing = Pool2DOptions(filterHeight: 1, filterWidth: 2, padding: Padding2D(top: 0, left: 0, bottom: 0, right: 3))
        #expect(Self.code(trailing, Help.activation([1, 4, 4, 1]), Help.activation([1, 4, 6, 1])) == .invalidValue)
        var zeroFilter = options
        zeroFilter.filterHeight = 0
        #expect(Self.code(zeroFilter, Help.activation([1, 4, 4, 1]), Help.activation([1, 4, 3, 1])) == .invalidValue)
    }

    @Test func factoryComputesTheActivationRange() {
        let options = Pool2DOptions.make(filterHeight: 2, filterWidth: 3, strideHeight: 2, strideWidth: 1, outputScale: 0.05,
                                         outputZeroPoint: -100, activation: .relu6)
        // ReLU6: [max(−128, −100), min(127, −100 + 6 / 0.05 = 20)].
        #expect(options.activation == ActivationRange(minimum: -100, maximum: 20))
        #expect(options.filterWidth == 3 && options.strideHeight == 2)
    }
}
