import Testing
@testable import CurbTrain

@Suite struct ReLU6Tests {
    @Test func forwardClampsToZeroSixAndBackwardMasks() {
        let layer = ReLU6()
        let output = layer.forward(FloatTensor(shape: [1, 5], values: [-2, 0, 0.5, 6, 7]), training: true)
        #expect(output.values == [0, 0, 0.5, 6, 6])
        let gradient = layer.backward(FloatTensor(shape: [1, 5], values: [1, 2, 3, 4, 5]))
        #expect(gradient.values == [0, 0, 3, 0, 0])
    }

    @Test func gradientMatchesCentralDifferences() {
        // Values in ±[0.05, 1] plus a copy shifted by 6, so both kinks are straddled but never within ε.
        var input = awayFromZero(shape: [2, 3, 3, 2], seed: 5)
        for index in stride(from: 0, to: input.count, by: 2) { input.values[index] += 6 }
        let result = GradientCheck().check(ReLU6(), input: input, training: true)
        #expect(result.worst < 1e-4, "\(result)")
    }
}
