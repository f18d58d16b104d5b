import Testing
@testable import CurbTrain

@Suite struct ReLUTests {
    @Test func forwardClampsBelowZeroAndBackwardMasks() {
        let layer = ReLU()
        let output = layer.forward(FloatTensor(shape: [1, 4], values: [-2, 0, 0.5, 7]), training: true)
        #expect(output.values == [0, 0, 0.5, 7])
        let gradient = layer.backward(FloatTensor(shape: [1, 4], values: [1, 2, 3, 4]))
        #expect(gradient.values == [0, 0, 3, 4])
    }

    @Test func gradientMatchesCentralDifferences() {
        let result = GradientCheck().check(ReLU(), input: awayFromZero(shape: [2, 3, 3, 2], seed: 4), training: true)
        #expect(result.worst < 1e-4, "\(result)")
    }
}
