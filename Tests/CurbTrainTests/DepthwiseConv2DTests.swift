import CurbModel
import Testing
@testable import CurbTrain

@Suite struct DepthwiseConv2DTests {
    /// A literal depthwise convolution (each channel convolved with its own filter), TF SAME padding.
    static func naive(_ input: FloatTensor, weights: FloatTensor, bias: [Float], stride: Int, same: Bool) -> FloatTensor {
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (kh, kw) = (weights.shape[1], weights.shape[2])
        let oh = same ? (h + stride - 1) / stride : (h - kh) / stride + 1
        let ow = same ? (w + stride - 1) / stride : (w - kw) / stride + 1
        let top = same ? max(0, (oh - 1) * stride + kh - h) / 2 : 0
        let left = same ? max(0, (ow - 1) * stride + kw - w) / 2 : 0
        var output = FloatTensor(shape: [n, oh, ow, c])
        for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for ch in 0..<c {
            var sum = bias[ch]
            for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * stride - top + ky, ix = ox * stride - left + kx
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                sum += input.values[nhwc(input.shape, b, iy, ix, ch)] * weights.values[(ky * kw + kx) * c + ch]
            } }
            output.values[nhwc(output.shape, b, oy, ox, ch)] = sum
        } } } }
        return output
    }

    @Test(arguments: [(1, PaddingScheme.same), (2, .same), (2, .valid), (1, .valid)])
    func forwardMatchesNaive(stride: Int, padding: PaddingScheme) {
        var generator = RandomSource(seed: 8)
        let layer = DepthwiseConv2D(channels: 5, stride: (stride, stride), padding: padding, generator: &generator)
        layer.bias!.value = .random(shape: [5], in: -1...1, using: &generator)
        let input = FloatTensor.random(shape: [2, 7, 8, 5], in: -1...1, using: &generator)
        let output = layer.forward(input, training: true)
        let expected = Self.naive(input, weights: layer.weights.value, bias: layer.bias!.value.values, stride: stride, same: padding == .same)
        #expect(output.shape == expected.shape)
        for index in 0..<output.count { #expect(abs(output.values[index] - expected.values[index]) < 1e-5) }
    }

    @Test(arguments: [(1, PaddingScheme.same), (2, .same), (2, .valid)])
    func gradientsMatchCentralDifferences(stride: Int, padding: PaddingScheme) {
        var generator = RandomSource(seed: 12)
        let layer = DepthwiseConv2D(channels: 3, stride: (stride, stride), padding: padding, generator: &generator)
        layer.bias!.value = .random(shape: [3], in: -1...1, using: &generator)
        let input = FloatTensor.random(shape: [2, 5, 6, 3], in: -1...1, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: true)
        #expect(result.worst < 1e-3, "\(result)")
        #expect(result.parameters.count == 2)
    }

    @Test func rejectsWrongChannels() throws {
        var generator = RandomSource(seed: 1)
        let layer = DepthwiseConv2D(channels: 4, generator: &generator)
        #expect(throws: TrainingError("DepthwiseConv2D: input has 3 channels, expected 4")) { try layer.outputShape(for: [1, 8, 8, 3]) }
        #expect(try layer.outputShape(for: [2, 9, 9, 4]) == [2, 9, 9, 4])
        #expect(layer.weights.value.shape == [1, 3, 3, 4])
    }
}
