import CurbModel
import Testing
@testable import CurbTrain

@Suite struct FoldedNetworkTests {
    /// The folded network (BN inside the convolutions) computes the same function as conv → BN in inference.
    /// Tolerance: the fold rescales each weight once in Double and rounds to Float (relative error ≤ 2⁻²⁴ per
    /// weight); sums of a few dozen products of O(1) values then differ by ~1e-6, so 1e-4 absolute is ample
    /// and still far below any change a wrong fold (a missing mean, a transposed channel axis) would make.
    @Test func batchNormFoldingPreservesOutputs() throws {
        let spec = SyntheticFolder.spec
        let built = try spec.build(height: 12, width: 12, classes: 3, seed: 9)
        var generator = RandomSource(seed: 4)
        // Non-trivial statistics and affine parameters for every BN.
        for layer in built.network.layers {
            guard let norm = layer as? BatchNorm else { continue }
            let channels = norm.channels
            norm.setRunningStatistics(mean: (0..<channels).map { _ in generator.uniform(in: -0.5...0.5) },
                                      variance: (0..<channels).map { _ in generator.uniform(in: 0.2...3) })
            norm.scale.value.values = (0..<channels).map { _ in generator.uniform(in: 0.5...1.5) }
            norm.offset.value.values = (0..<channels).map { _ in generator.uniform(in: -0.3...0.3) }
        }
        let input = FloatTensor.random(shape: [4, 12, 12, 3], in: 0...1, using: &generator)
        let reference = built.network.forward(input, training: false)
        let folded = try FoldedNetwork(built.network)
        #expect(folded.stages.count == 6)  // conv, depthwise, maxpool, conv, mean, dense (dropout gone)
        #expect(folded.stages[0].activation == .relu6 && folded.stages[3].activation == .relu)
        let output = folded.forward(input)
        #expect(output.shape == reference.shape)
        let largest = zip(output.values, reference.values).map { abs($0 - $1) }.max()!
        #expect(largest < 1e-4)
        // And the fold is not vacuous: without it the outputs differ a lot.
        let norms = built.network.layers.compactMap { $0 as? BatchNorm }
        for norm in norms { norm.offset.value.values = norm.offset.value.values.map { $0 + 1 } }
        let changed = built.network.forward(input, training: false)
        #expect(zip(changed.values, output.values).map { abs($0 - $1) }.max()! > 1e-2)
    }

    @Test func layersThatCannotBeFusedAreNamed() throws {
        var generator = RandomSource(seed: 1)
        let network = Sequential([GlobalAveragePool(), BatchNorm(channels: 3), Dense(inputs: 3, outputs: 2, generator: &generator)])
        #expect(throws: TrainingError.self) { try FoldedNetwork(network) }
        do {
            _ = try FoldedNetwork(network)
        } catch {
            #expect(error.message.contains("layer 1 (BatchNorm)"))
        }
    }
}
