import CurbModel
import Testing
@testable import CurbTrain

@Suite struct AveragePool2DTests {
    @Test func sameDividesByTheInputPixelsCovered() {
        // 3x3 values 1...9, 2x2 stride 2 SAME: padding goes after. Windows: {1,2,4,5} → 3, {3,6} → 4.5,
        // {7,8} → 7.5, {9} → 9.
        let layer = AveragePool2D(padding: .same)
        let output = layer.forward(FloatTensor(shape: [1, 3, 3, 1], values: [1, 2, 3, 4, 5, 6, 7, 8, 9]), training: true)
        #expect(output.values == [3, 4.5, 7.5, 9])
        // Backward spreads each gradient evenly over the covered pixels.
        let gradient = layer.backward(FloatTensor(shape: [1, 2, 2, 1], values: [4, 2, 2, 1]))
        #expect(gradient.values == [1, 1, 1, 1, 1, 1, 1, 1, 1])
    }

    @Test(arguments: [PaddingScheme.valid, .same])
    func gradientMatchesCentralDifferences(padding: PaddingScheme) {
        var generator = RandomSource(seed: 10)
        let layer = AveragePool2D(pool: (3, 3), stride: (2, 2), padding: padding)
        let input = FloatTensor.random(shape: [2, 5, 6, 2], in: -1...1, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: true)
        #expect(result.worst < 1e-3, "\(result)")
    }
}
