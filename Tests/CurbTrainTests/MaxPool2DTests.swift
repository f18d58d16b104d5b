import CurbModel
import Testing
@testable import CurbTrain

@Suite struct MaxPool2DTests {
    @Test func forwardTakesWindowMaximaAndBackwardRoutesToThem() {
        // 4x4, one channel, 2x2 windows stride 2: maxima of the four quadrants.
        let values: [Float] = [1, 5, 2, 0,
                               3, 4, 8, 1,
                               0, 0, 9, 9.5,
                               7, 1, 2, 3]
        let layer = MaxPool2D()
        let output = layer.forward(FloatTensor(shape: [1, 4, 4, 1], values: values), training: true)
        #expect(output.shape == [1, 2, 2, 1])
        #expect(output.values == [5, 8, 7, 9.5])
        let gradient = layer.backward(FloatTensor(shape: [1, 2, 2, 1], values: [1, 2, 3, 4]))
        var expected = [Float](repeating: 0, count: 16)
        expected[1] = 1; expected[6] = 2; expected[12] = 3; expected[11] = 4
        #expect(gradient.values == expected)
    }

    @Test func samePaddingIgnoresPaddedPositions() {
        // 3x3 of negative values, 2x2 stride 2 SAME → 2x2 output; padding (after) must not win with 0.
        let input = FloatTensor(shape: [1, 3, 3, 1], values: [-1, -2, -3, -4, -5, -6, -7, -8, -9])
        let output = MaxPool2D(padding: .same).forward(input, training: true)
        #expect(output.values == [-1, -3, -7, -9])
    }

    @Test(arguments: [PaddingScheme.valid, .same])
    func gradientMatchesCentralDifferences(padding: PaddingScheme) {
        // Distinct values 0.1 apart (a shuffled ramp), so no window has a tie within ε.
        var generator = RandomSource(seed: 9)
        let count = 2 * 5 * 5 * 2
        var ramp = (0..<count).map { Float($0) * 0.1 - 3 }
        ramp.shuffle(using: &generator)
        let layer = MaxPool2D(pool: (2, 2), stride: (2, 2), padding: padding)
        let result = GradientCheck().check(layer, input: FloatTensor(shape: [2, 5, 5, 2], values: ramp), training: true)
        #expect(result.worst < 1e-4, "\(result)")
    }
}
