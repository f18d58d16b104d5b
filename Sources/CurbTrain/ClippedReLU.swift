/// `min(max(0, x), upper)`: ``ReLU`` (no upper bound) and ``ReLU6`` (6, the activation int8 mobile models fuse
/// into their convolutions). The derivative is 1 strictly inside (0, upper) and 0 elsewhere, both ends included.
public class ClippedReLU: Layer {
    private let name: String
    private let upper: Float
    private var input = FloatTensor(shape: [0])

    init(name: String, upper: Float) {
        self.name = name
        self.upper = upper
    }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] { inputShape }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        self.input = input
        var output = input
        let upper = self.upper
        output.values.withUnsafeMutableBufferPointer { values in
            if upper.isInfinite {
                for index in values.indices { values[index] = max(0, values[index]) }
            } else {
                for index in values.indices { values[index] = min(upper, max(0, values[index])) }
            }
        }
        return output
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.shape == input.shape, "\(name): output gradient does not match the last output")
        var gradient = [Float](repeating: 0, count: outputGradient.count)
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                gradient.withUnsafeMutableBufferPointer { dx in
                    ActivationMask.apply(gradient: dy.baseAddress!, input: x.baseAddress!, count: dx.count, lower: 0,
                                         upper: upper, into: dx.baseAddress!)
                }
            }
        }
        return FloatTensor(shape: input.shape, values: gradient)
    }
}
