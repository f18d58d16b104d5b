import Testing
@testable import CurbTrain

@Suite struct BatchNormTests {
    @Test func trainingNormalizesEachChannelAndUpdatesRunningStatistics() {
        // Channel 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25); channel 1 holds 10, 10, 10, 10
        // (mean 10, variance 0). With ε = 1e-3: y₀ = (x − 2.5) / sqrt(1.251), y₁ = 0.
        let layer = BatchNorm(channels: 2, momentum: 0.9, epsilon: 1e-3)
        let input = FloatTensor(shape: [2, 1, 2, 2], values: [1, 10, 2, 10, 3, 10, 4, 10])
        let output = layer.forward(input, training: true)
        let deviation = Float(1.251).squareRoot()
        for (index, x) in [Float(1), 2, 3, 4].enumerated() {
            #expect(abs(output.values[2 * index] - (x - 2.5) / deviation) < 1e-5)
            #expect(output.values[2 * index + 1] == 0)
        }
        // running = 0.9 · initial + 0.1 · batch: mean 0.25 and 1.0; variance 0.9 + 0.125 and 0.9.
        #expect(abs(layer.runningMean[0] - 0.25) < 1e-6 && abs(layer.runningMean[1] - 1.0) < 1e-6)
        #expect(abs(layer.runningVariance[0] - 1.025) < 1e-6 && abs(layer.runningVariance[1] - 0.9) < 1e-6)
    }

    @Test func inferenceUsesRunningStatisticsScaleAndOffset() {
        // y = γ (x − m) / sqrt(v + ε) + β with m = 1, v = 3.999, ε = 1e-3 (so the divisor is 2), γ = 3, β = −1.
        let layer = BatchNorm(channels: 1, epsilon: 1e-3)
        layer.setRunningStatistics(mean: [1], variance: [3.999])
        layer.scale.value.values = [3]
        layer.offset.value.values = [-1]
        let output = layer.forward(FloatTensor(shape: [2, 1], values: [5, 1]), training: false)
        #expect(abs(output.values[0] - 5) < 1e-5)  // 3 · 4 / 2 − 1
        #expect(abs(output.values[1] + 1) < 1e-5)  // 3 · 0 / 2 − 1
        #expect(layer.runningMean == [1])
    }

    @Test(arguments: [true, false])
    func gradientsMatchCentralDifferences(training: Bool) {
        var generator = RandomSource(seed: 21)
        let layer = BatchNorm(channels: 3)
        layer.scale.value = .random(shape: [3], in: 0.5...1.5, using: &generator)
        layer.offset.value = .random(shape: [3], in: -1...1, using: &generator)
        layer.setRunningStatistics(mean: [0.1, -0.2, 0.3], variance: [0.5, 1.5, 2])
        let input = FloatTensor.random(shape: [2, 3, 2, 3], in: -2...2, using: &generator)
        let result = GradientCheck().check(layer, input: input, training: training)
        #expect(result.worst < 1e-3, "\(result)")
        #expect(result.parameters.count == 2)
    }

    @Test func rejectsWrongChannels() throws {
        let layer = BatchNorm(channels: 4)
        #expect(throws: TrainingError("BatchNorm: input has 3 channels, expected 4")) { try layer.outputShape(for: [1, 2, 2, 3]) }
        #expect(try layer.outputShape(for: [5, 4]) == [5, 4])
    }
}
