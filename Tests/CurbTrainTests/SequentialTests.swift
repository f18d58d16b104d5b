import Testing
@testable import CurbTrain

@Suite struct SequentialTests {
    @Test func shapeErrorsNameTheLayer() throws {
        var generator = RandomSource(seed: 1)
        let network = Sequential([
            Conv2D(inputChannels: 3, outputChannels: 4, filter: (3, 3), stride: (2, 2), generator: &generator),
            GlobalAveragePool(),
            Dense(inputs: 5, outputs: 2, generator: &generator),
        ])
        #expect(throws: TrainingError("layer 2: Dense: input has 4 features, expected 5")) {
            try network.outputShape(for: [1, 8, 8, 3])
        }
        #expect(network.parameters.count == 4)
        #expect(network.parameterCount == 4 * 27 + 4 + 5 * 2 + 2)
    }

    @Test func wholeNetworkGradientsMatchCentralDifferences() {
        // Conv → BN (training) → ReLU6 → depthwise → max pool → flatten → dense, checked end to end through
        // the same projection test as single layers, by wrapping the network as a layer.
        var generator = RandomSource(seed: 18)
        let network = Sequential([
            // No bias before batch norm: its true gradient is zero and only rounding noise would be compared.
            Conv2D(inputChannels: 2, outputChannels: 3, filter: (3, 3), useBias: false, generator: &generator),
            BatchNorm(channels: 3),
            ReLU6(),
            DepthwiseConv2D(channels: 3, stride: (2, 2), generator: &generator),
            AveragePool2D(pool: (2, 2)),
            Flatten(),
            Dense(inputs: 3, outputs: 2, generator: &generator),
        ])
        let input = FloatTensor.random(shape: [3, 4, 4, 2], in: -1...1, using: &generator)
        let result = GradientCheck().check(NetworkLayer(network), input: input, training: true)
        #expect(result.worst < 2e-3, "\(result)")
    }

    @Test func zeroGradientsClearsEveryParameter() {
        var generator = RandomSource(seed: 2)
        let network = Sequential([Dense(inputs: 2, outputs: 2, generator: &generator)])
        _ = network.forward(FloatTensor(shape: [1, 2], values: [1, 1]), training: true)
        network.backward(FloatTensor(shape: [1, 2], values: [1, 1]))
        #expect(network.parameters.contains { $0.gradient.values.contains { $0 != 0 } })
        network.zeroGradients()
        #expect(network.parameters.allSatisfy { $0.gradient.values.allSatisfy { $0 == 0 } })
    }
}

/// A network seen as one layer, so the gradient checker can treat it whole.
final class NetworkLayer: Layer {
    let network: Sequential
    init(_ network: Sequential) { self.network = network }
    func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] { try network.outputShape(for: inputShape) }
    func forward(_ input: FloatTensor, training: Bool) -> FloatTensor { network.forward(input, training: training) }
    func backward(_ outputGradient: FloatTensor) -> FloatTensor { network.backward(outputGradient) }
    var parameters: [Parameter] { network.parameters }
}
