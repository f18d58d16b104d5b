import Testing
@testable import CurbTrain

@Suite struct GlobalAveragePoolTests {
    @Test func averagesEachChannelOverThePlane() {
        // Channel 0: 1, 2, 3, 6 → 3; channel 1: 0, 0, 0, 4 → 1.
        let layer = GlobalAveragePool()
        let output = layer.forward(FloatTensor(shape: [1, 2, 2, 2], values: [1, 0, 2, 0, 3, 0, 6, 4]), training: true)
        #expect(output.shape == [1, 2])
        #expect(output.values == [3, 1])
        #expect(layer.backward(FloatTensor(shape: [1, 2], values: [4, 8])).values == [1, 2, 1, 2, 1, 2, 1, 2])
        #expect(throws: TrainingError.self) { try layer.outputShape(for: [3, 4]) }
    }

    @Test func gradientMatchesCentralDifferences() {
        var generator = RandomSource(seed: 13)
        let input = FloatTensor.random(shape: [3, 3, 2, 4], in: -1...1, using: &generator)
        let result = GradientCheck().check(GlobalAveragePool(), input: input, training: true)
        #expect(result.worst < 1e-3, "\(result)")
    }
}
