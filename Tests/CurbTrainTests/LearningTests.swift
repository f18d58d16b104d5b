import CurbModel
import Testing
@testable import CurbTrain

/// End to end: small networks must learn a separable synthetic problem from scratch. These can fail: a
/// wrong gradient sign, a broken optimizer or a BN running-statistics bug leaves accuracy near chance.
@Suite struct LearningTests {
    /// 8x8 one-channel images: a bright bar, horizontal (class 0), vertical (1) or diagonal (2), at a
    /// random place, on noise in ±0.2.
    static func bars(_ count: Int, generator: inout RandomSource) -> (images: FloatTensor, labels: [Int]) {
        var images = FloatTensor(shape: [count, 8, 8, 1])
        var labels: [Int] = []
        for n in 0..<count {
            let label = Int(generator.next() % 3)
            labels.append(label)
            let position = Int(generator.next() % 6) + 1
            for y in 0..<8 {
                for x in 0..<8 {
                    let onBar = switch label {
                    case 0: y == position && x >= 1 && x <= 6
                    case 1: x == position && y >= 1 && y <= 6
                    default: x == y && x >= 1 && x <= 6
                    }
                    images.values[(n * 8 + y) * 8 + x] = (onBar ? 1 : 0) + generator.uniform(in: -0.2...0.2)
                }
            }
        }
        return (images, labels)
    }

    static func train(_ network: Sequential, optimizer: Optimizer, schedule: LearningRateSchedule, steps: Int,
                      smoothing: Float = 0, seed: UInt64) -> Double {
        var generator = RandomSource(seed: seed)
        let loss = SoftmaxCrossEntropy(labelSmoothing: smoothing)
        for step in 0..<steps {
            let batch = bars(16, generator: &generator)
            network.zeroGradients()
            let logits = network.forward(batch.images, training: true)
            network.backward(loss.evaluate(logits: logits, labels: batch.labels).gradient)
            optimizer.step(network.parameters, learningRate: schedule.rate(atStep: step))
        }
        let test = bars(300, generator: &generator)
        let result = loss.evaluate(logits: network.forward(test.images, training: false), labels: test.labels)
        return Double(result.correct) / 300
    }

    @Test func convolutionalNetworkLearnsBarsWithAdam() {
        var generator = RandomSource(seed: 42)
        let network = Sequential([
            Conv2D(inputChannels: 1, outputChannels: 8, filter: (3, 3), useBias: false, generator: &generator),
            BatchNorm(channels: 8, momentum: 0.9),
            ReLU(),
            MaxPool2D(),
            Conv2D(inputChannels: 8, outputChannels: 8, filter: (3, 3), generator: &generator),
            ReLU(),
            GlobalAveragePool(),
            Dropout(rate: 0.1, seed: 3),
            Dense(inputs: 8, outputs: 3, generator: &generator),
        ])
        let accuracy = Self.train(network, optimizer: Adam.adamW(weightDecay: 1e-4),
                                  schedule: .cosine(peak: 0.01, warmupSteps: 20, totalSteps: 300, minimum: 0), steps: 300,
                                  smoothing: 0.05, seed: 7)
        #expect(accuracy >= 0.98, "accuracy \(accuracy)")
    }

    @Test func depthwiseSeparableNetworkLearnsBarsWithSGD() {
        var generator = RandomSource(seed: 43)
        let network = Sequential([
            Conv2D(inputChannels: 1, outputChannels: 8, filter: (3, 3), useBias: false, generator: &generator),
            BatchNorm(channels: 8, momentum: 0.9),
            ReLU6(),
            DepthwiseConv2D(channels: 8, stride: (2, 2), useBias: false, generator: &generator),
            BatchNorm(channels: 8, momentum: 0.9),
            ReLU6(),
            Conv2D(inputChannels: 8, outputChannels: 12, filter: (1, 1), generator: &generator),
            ReLU6(),
            AveragePool2D(pool: (2, 2)),
            Flatten(),
            Dense(inputs: 48, outputs: 3, generator: &generator),
        ])
        let accuracy = Self.train(network, optimizer: SGD(momentum: 0.9, weightDecay: 1e-4),
                                  schedule: .step(initial: 0.05, factor: 0.5, interval: 150), steps: 300, seed: 8)
        #expect(accuracy >= 0.98, "accuracy \(accuracy)")
    }
}
