import Testing
@testable import CurbTrain

@Suite struct DropoutTests {
    @Test func inferenceIsTheIdentity() {
        let layer = Dropout(rate: 0.5, seed: 1)
        let input = FloatTensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(layer.forward(input, training: false) == input)
        #expect(layer.backward(input) == input)
    }

    @Test func trainingDropsAboutRateAndScalesSurvivors() {
        // 20 000 ones at rate 0.25: survivors are exactly 1 / 0.75; the dropped fraction is within
        // 5 standard deviations (sqrt(0.25 · 0.75 / 20000) ≈ 0.003) of 0.25.
        let layer = Dropout(rate: 0.25, seed: 7)
        let output = layer.forward(FloatTensor(shape: [1, 20_000], repeating: 1), training: true)
        let dropped = output.values.filter { $0 == 0 }.count
        #expect(output.values.allSatisfy { $0 == 0 || $0 == Float(1) / 0.75 })
        #expect(abs(Double(dropped) / 20_000 - 0.25) < 0.015)
        // The same seed replays the same mask.
        layer.reseed(7)
        #expect(layer.forward(FloatTensor(shape: [1, 20_000], repeating: 1), training: true) == output)
    }

    @Test func gradientMatchesCentralDifferencesUnderAFixedMask() {
        let layer = Dropout(rate: 0.4, seed: 3)
        var generator = RandomSource(seed: 15)
        let input = FloatTensor.random(shape: [2, 10], in: -1...1, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: true, prepare: { layer.reseed(3) })
        #expect(result.worst < 1e-4, "\(result)")
    }
}
