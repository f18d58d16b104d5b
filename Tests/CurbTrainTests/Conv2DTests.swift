import CurbModel
import Testing
@testable import CurbTrain

@Suite struct Conv2DTests {
    /// A literal convolution: every output sums input · weight over the taps inside the image, with
    /// TF's SAME padding (total `max(0, (out − 1)·s + k − in)`, half before) written out here.
    static func naive(_ input: FloatTensor, weights: FloatTensor, bias: [Float], stride: Int, same: Bool) -> FloatTensor {
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (o, kh, kw) = (weights.shape[0], weights.shape[1], weights.shape[2])
        let oh = same ? (h + stride - 1) / stride : (h - kh) / stride + 1
        let ow = same ? (w + stride - 1) / stride : (w - kw) / stride + 1
        let top = same ? max(0, (oh - 1) * stride + kh - h) / 2 : 0
        let left = same ? max(0, (ow - 1) * stride + kw - w) / 2 : 0
        var output = FloatTensor(shape: [n, oh, ow, o])
        for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for oc in 0..<o {
            var sum = bias[oc]
            for ky in 0..<kh { for kx in 0..<kw { for ic in 0..<c {
                let iy = oy * stride - top + ky, ix = ox * stride - left + kx
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                sum += input.values[nhwc(input.shape, b, iy, ix, ic)] * weights.values[((oc * kh + ky) * kw + kx) * c + ic]
            } } }
            output.values[nhwc(output.shape, b, oy, ox, oc)] = sum
        } } } }
        return output
    }

    @Test(arguments: [(3, 1, PaddingScheme.same), (3, 2, .same), (3, 2, .valid), (1, 1, .same), (2, 2, .same), (1, 2, .valid)])
    func forwardMatchesNaiveConvolution(filter: Int, stride: Int, padding: PaddingScheme) {
        var generator = RandomSource(seed: 5)
        let layer = Conv2D(inputChannels: 3, outputChannels: 4, filter: (filter, filter), stride: (stride, stride),
                           padding: padding, generator: &generator)
        layer.bias!.value = .random(shape: [4], in: -1...1, using: &generator)
        let input = FloatTensor.random(shape: [2, 7, 6, 3], in: -1...1, using: &generator)
        let output = layer.forward(input, training: true)
        let expected = Self.naive(input, weights: layer.weights.value, bias: layer.bias!.value.values, stride: stride, same: padding == .same)
        #expect(output.shape == expected.shape)
        for index in 0..<output.count { #expect(abs(output.values[index] - expected.values[index]) < 1e-5) }
    }

    @Test(arguments: [(3, 1, PaddingScheme.same), (3, 2, .same), (3, 2, .valid), (1, 1, .valid), (2, 1, .same)])
    func gradientsMatchCentralDifferences(filter: Int, stride: Int, padding: PaddingScheme) {
        var generator = RandomSource(seed: 11)
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, filter: (filter, filter), stride: (stride, stride),
                           padding: padding, generator: &generator)
        layer.bias!.value = .random(shape: [3], in: -1...1, using: &generator)
        let input = FloatTensor.random(shape: [2, 5, 4, 2], in: -1...1, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: true)
        #expect(result.worst < 1e-3, "\(result)")
        #expect(result.parameters.count == 2)
    }

    @Test func withoutBiasHasOnlyWeights() {
        var generator = RandomSource(seed: 1)
        let layer = Conv2D(inputChannels: 1, outputChannels: 2, filter: (3, 3), useBias: false, generator: &generator)
        #expect(layer.parameters.count == 1)
        #expect(layer.weights.value.shape == [2, 3, 3, 1])
    }

    @Test func rejectsWrongChannelsAndTooSmallInputs() {
        var generator = RandomSource(seed: 1)
        let layer = Conv2D(inputChannels: 3, outputChannels: 2, filter: (5, 5), padding: .valid, generator: &generator)
        #expect(throws: TrainingError("Conv2D: input has 4 channels, expected 3")) { try layer.outputShape(for: [1, 8, 8, 4]) }
        #expect(throws: TrainingError("Conv2D: a 5x5 window does not fit the 4x8 input")) { try layer.outputShape(for: [1, 4, 8, 3]) }
        #expect(throws: TrainingError.self) { try layer.outputShape(for: [8, 8, 3]) }
    }

    @Test func backwardAccumulatesParameterGradients() {
        // Two backward passes without zeroing give twice the gradient of one.
        var generator = RandomSource(seed: 3)
        let layer = Conv2D(inputChannels: 2, outputChannels: 2, filter: (3, 3), generator: &generator)
        let input = FloatTensor.random(shape: [1, 4, 4, 2], in: -1...1, using: &generator)
        let gradient = FloatTensor.random(shape: [1, 4, 4, 2], in: -1...1, using: &generator)
        _ = layer.forward(input, training: true)
        _ = layer.backward(gradient)
        let once = layer.weights.gradient.values
        _ = layer.backward(gradient)
        for index in once.indices { #expect(abs(layer.weights.gradient.values[index] - 2 * once[index]) < 1e-5) }
    }
}
