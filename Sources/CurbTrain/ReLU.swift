/// `max(0, x)`. The derivative at 0 is taken as 0.
public final class ReLU: Layer {
    private var input = FloatTensor(shape: [0])

    public init() {}

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] { inputShape }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        self.input = input
        var output = input
        output.values.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = max(0, values[index]) }
        }
        return output
    }

    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.shape == input.shape, "ReLU: output gradient does not match the last output")
        var gradient = outputGradient
        gradient.values.withUnsafeMutableBufferPointer { gradient in
            input.values.withUnsafeBufferPointer { x in
                for index in gradient.indices { gradient[index] = x[index] > 0 ? gradient[index] : 0 }
            }
        }
        return gradient
    }
}
