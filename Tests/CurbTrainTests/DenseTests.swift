import Testing
@testable import CurbTrain

@Suite struct DenseTests {
    @Test func forwardIsInputTimesWeightsTransposedPlusBias() {
        // W = [[1, 2, 3], [−1, 0, 1]], b = [0.5, −0.5]; x = [1, 1, 2] → [1 + 2 + 6 + 0.5, −1 + 0 + 2 − 0.5].
        var generator = RandomSource(seed: 1)
        let layer = Dense(inputs: 3, outputs: 2, generator: &generator)
        layer.weights.value.values = [1, 2, 3, -1, 0, 1]
        layer.bias!.value.values = [0.5, -0.5]
        let output = layer.forward(FloatTensor(shape: [1, 3], values: [1, 1, 2]), training: true)
        #expect(output.values == [9.5, 0.5])
    }

    @Test func gradientsMatchCentralDifferences() {
        var generator = RandomSource(seed: 14)
        let layer = Dense(inputs: 7, outputs: 4, generator: &generator)
        layer.bias!.value = .random(shape: [4], in: -1...1, using: &generator)
        let input = FloatTensor.random(shape: [3, 7], in: -1...1, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: true)
        #expect(result.worst < 1e-3, "\(result)")
        #expect(result.parameters.count == 2)
    }

    @Test func rejectsUnflattenedOrMismatchedInput() {
        var generator = RandomSource(seed: 1)
        let layer = Dense(inputs: 8, outputs: 2, generator: &generator)
        #expect(throws: TrainingError("Dense: input has 6 features, expected 8")) { try layer.outputShape(for: [1, 6]) }
        #expect(throws: TrainingError.self) { try layer.outputShape(for: [1, 2, 2, 2]) }
    }
}
