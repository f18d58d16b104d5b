import Foundation

/// Adam (Kingma & Ba) with bias correction: `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`,
/// `w ← w − η · m̂ / (sqrt(v̂) + ε)` with `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
///
/// Weight decay λ (only for parameters that decay) is either coupled L2 (`g = ∇ + λw`, classic Adam) or
/// decoupled (AdamW: `w ← w − η·λ·w` before the Adam step, as PyTorch's and Keras's AdamW scale it by the
/// learning rate).
public final class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    /// Steps taken so far (the `t` of the bias correction).
    public private(set) var stepCount = 0
    private var slots = OptimizerSlots(buffersPerParameter: 2)

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, weightDecay: Float = 0,
                decoupledWeightDecay: Bool = false) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0 && weightDecay >= 0)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW: Adam with decoupled weight decay.
    public static func adamW(weightDecay: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) -> Adam {
        Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func stateBuffers(for parameters: [Parameter]) -> [[Float]] { slots.allBuffers(for: parameters) }

    public func restoreState(_ buffers: [[Float]], stepCount: Int, for parameters: [Parameter]) {
        slots.setBuffers(buffers, for: parameters)
        self.stepCount = stepCount
    }

    public func step(_ parameters: [Parameter], learningRate: Float) {
        stepCount += 1
        let beta1 = beta1, beta2 = beta2, epsilon = epsilon
        let correction1 = Float(1 - pow(Double(beta1), Double(stepCount)))
        let correction2 = Float(1 - pow(Double(beta2), Double(stepCount)))
        for parameter in parameters {
            let decay = parameter.decays ? weightDecay : 0
            let coupled = decoupledWeightDecay ? 0 : decay
            let decoupled = decoupledWeightDecay ? decay : 0
            slots.withBuffers(for: parameter) { buffers in
                var first = buffers[0], second = buffers[1]
                buffers = []
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        parameter.gradient.values.withUnsafeBufferPointer { gradient in
                            parameter.value.values.withUnsafeMutableBufferPointer { weights in
                                for index in weights.indices {
                                    let g = gradient[index] + coupled * weights[index]
                                    m[index] = beta1 * m[index] + (1 - beta1) * g
                                    v[index] = beta2 * v[index] + (1 - beta2) * g * g
                                    let mHat = m[index] / correction1, vHat = v[index] / correction2
                                    weights[index] -= learningRate * (decoupled * weights[index] + mHat / (vHat.squareRoot() + epsilon))
                                }
                            }
                        }
                    }
                }
                buffers = [first, second]
            }
        }
    }
}
