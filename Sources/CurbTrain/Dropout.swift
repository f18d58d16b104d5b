/// Inverted dropout: in training each value is zeroed with probability `rate` and the survivors are
/// scaled by `1 / (1 − rate)`, so inference is the identity. Masks come from the layer's own seeded
/// generator.
public final class Dropout: Layer {
    public let rate: Float
    private var generator: RandomSource
    private var mask: [Float] = []
    private var inputShape: [Int] = []
    private var trainingPass = false

    public init(rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
        generator = RandomSource(seed: seed)
    }

    /// Restarts the mask sequence (gradient checks replay one mask this way).
    public func reseed(_ seed: UInt64) {
        generator = RandomSource(seed: seed)
    }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] { inputShape }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        inputShape = input.shape
        trainingPass = training && rate > 0
        guard trainingPass else { return input }
        let keep = 1 / (1 - rate)
        if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
        for index in 0..<input.count { mask[index] = generator.uniform() < rate ? 0 : keep }
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { m in
                for index in y.indices { y[index] *= m[index] }
            }
        }
        return output
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.shape == inputShape, "Dropout: output gradient does not match the last output")
        guard trainingPass else { return outputGradient }
        var gradient = outputGradient
        gradient.values.withUnsafeMutableBufferPointer { dx in
            mask.withUnsafeBufferPointer { m in
                for index in dx.indices { dx[index] *= m[index] }
            }
        }
        return gradient
    }
}
