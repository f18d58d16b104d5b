/// A network that applies its layers in order.
public final class Sequential {
    public let layers: [Layer]

    public init(_ layers: [Layer]) {
        self.layers = layers
    }

    /// Every layer's parameters, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The output shape for `inputShape`, checking that every layer accepts what the previous one gives;
    /// the error names the failing layer's position.
    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                shape = try layer.outputShape(for: shape)
            } catch {
                throw TrainingError("layer \(index): \(error.message)")
            }
        }
        return shape
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        var activation = input
        for layer in layers { activation = layer.forward(activation, training: training) }
        return activation
    }

    /// Back-propagates dLoss/dOutput through every layer (adding to the parameter gradients) and returns
    /// dLoss/dInput.
    @discardableResult
    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        var gradient = outputGradient
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
        return gradient
    }

    /// Clears every parameter's gradient (call before each batch's backward pass).
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}
