/// `min(max(0, x), 6)`, the activation int8 mobile models fuse into their convolutions. The derivative is
/// 1 strictly inside (0, 6) and 0 elsewhere (including both ends).
public final class ReLU6: Layer {
    private var input = FloatTensor(shape: [0])

    public init() {}

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] { inputShape }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        self.input = input
        var output = input
        output.values.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = min(6, max(0, values[index])) }
        }
        return output
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.shape == input.shape, "ReLU6: output gradient does not match the last output")
        var gradient = outputGradient
        gradient.values.withUnsafeMutableBufferPointer { gradient in
            input.values.withUnsafeBufferPointer { x in
                for index in gradient.indices { gradient[index] = x[index] > 0 && x[index] < 6 ? gradient[index] : 0 }
            }
        }
        return gradient
    }
}
