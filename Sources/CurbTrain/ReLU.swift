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
        var gradient = [Float](repeating: 0, count: outputGradient.count)
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                gradient.withUnsafeMutableBufferPointer { dx in
                    ActivationMask.apply(gradient: dy.baseAddress!, input: x.baseAddress!, count: dx.count, lower: 0, upper: .infinity,
                                         into: dx.baseAddress!)
                }
            }
        }
        return FloatTensor(shape: input.shape, values: gradient)
    }
}
