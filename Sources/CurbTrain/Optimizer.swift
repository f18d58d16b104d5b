/// Updates parameters from their gradients. Optimizers keep per-parameter state (momentum, moments)
/// keyed by the parameter object, so pass the same parameters every step.
public protocol Optimizer: AnyObject {
    /// One update of every parameter with `learningRate` (from a ``LearningRateSchedule``).
    func step(_ parameters: [Parameter], learningRate: Float)
}

/// Per-parameter optimizer buffers, created zeroed on first use.
struct OptimizerSlots {
    private var slots: [ObjectIdentifier: (owner: Parameter, buffers: [[Float]])] = [:]
    let buffersPerParameter: Int

    init(buffersPerParameter: Int) {
        self.buffersPerParameter = buffersPerParameter
    }

    /// Runs `body` with the parameter's buffers (each as long as the parameter).
    mutating func withBuffers(for parameter: Parameter, _ body: (inout [[Float]]) -> Void) {
        let key = ObjectIdentifier(parameter)
        var entry = slots[key] ?? (parameter, Array(repeating: [Float](repeating: 0, count: parameter.value.count),
                                                    count: buffersPerParameter))
        slots[key] = nil
        body(&entry.buffers)
        slots[key] = entry
    }
}
