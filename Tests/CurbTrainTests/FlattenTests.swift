import Testing
@testable import CurbTrain

@Suite struct FlattenTests {
    @Test func keepsRowMajorOrderBothWays() {
        let layer = Flatten()
        let input = FloatTensor(shape: [2, 1, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8])
        let output = layer.forward(input, training: true)
        #expect(output.shape == [2, 4])
        #expect(output.values == input.values)
        #expect(layer.backward(output) == input)
        #expect(throws: TrainingError.self) { try layer.outputShape(for: [3]) }
    }

    @Test func gradientMatchesCentralDifferences() {
        var generator = RandomSource(seed: 16)
        let result = GradientCheck().check(Flatten(), input: .random(shape: [2, 2, 3, 2], in: -1...1, using: &generator), training: true)
        #expect(result.worst < 1e-4, "\(result)")
    }
}
