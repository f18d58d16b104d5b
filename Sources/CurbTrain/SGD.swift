/// Stochastic gradient descent with momentum and L2 weight decay (PyTorch's formulation):
/// `g = ∇ + λ·w` (λ only for parameters that decay), `v ← μ·v + g`, then `w ← w − η·v`, or with Nesterov
/// momentum `w ← w − η·(g + μ·v)`. Plain SGD is `momentum: 0`.
public final class SGD: Optimizer {
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    private var slots = OptimizerSlots(buffersPerParameter: 1)
    public private(set) var stepCount = 0

    public init(momentum: Float = 0.9, weightDecay: Float = 0, nesterov: Bool = false) {
        precondition(momentum >= 0 && momentum < 1 && weightDecay >= 0)
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func stateBuffers(for parameters: [Parameter]) -> [[Float]] { slots.allBuffers(for: parameters) }

    public func restoreState(_ buffers: [[Float]], stepCount: Int, for parameters: [Parameter]) {
        slots.setBuffers(buffers, for: parameters)
        self.stepCount = stepCount
    }

    public func step(_ parameters: [Parameter], learningRate: Float) {
        stepCount += 1
        for parameter in parameters {
            let decay = parameter.decays ? weightDecay : 0
            let momentum = momentum, nesterov = nesterov
            slots.withBuffers(for: parameter) { buffers in
                buffers[0].withUnsafeMutableBufferPointer { velocity in
                    parameter.gradient.values.withUnsafeBufferPointer { gradient in
                        parameter.value.values.withUnsafeMutableBufferPointer { weights in
                            for index in weights.indices {
                                let g = gradient[index] + decay * weights[index]
                                velocity[index] = momentum * velocity[index] + g
                                let update = nesterov ? g + momentum * velocity[index] : velocity[index]
                                weights[index] -= learningRate * update
                            }
                        }
                    }
                }
            }
        }
    }
}
