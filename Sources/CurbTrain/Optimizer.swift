/// Updates parameters from their gradients. Optimizers keep per-parameter state (momentum, moments)
/// keyed by the parameter object, so pass the same parameters every step.
public protocol Optimizer: AnyObject {
    /// One update of every parameter with `learningRate` (from a ``LearningRateSchedule``).
    func step(_ parameters: [Parameter], learningRate: Float)
    /// Steps taken so far.
    var stepCount: Int { get }
    /// The per-parameter buffers (momentum, moments), parameter-major, for checkpoints: zeros for a
    /// parameter that has not been stepped yet.
    func stateBuffers(for parameters: [Parameter]) -> [[Float]]
    /// Restores what ``stateBuffers(for:)`` returned and the step count (resuming a checkpoint).
    func restoreState(_ buffers: [[Float]], stepCount: Int, for parameters: [Parameter])
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

    /// Every buffer of `parameters`, parameter-major.
    mutating func allBuffers(for parameters: [Parameter]) -> [[Float]] {
        var result: [[Float]] = []
        for parameter in parameters { withBuffers(for: parameter) { result += $0 } }
        return result
    }

    /// Replaces the buffers of `parameters` from ``allBuffers(for:)``'s layout.
    mutating func setBuffers(_ buffers: [[Float]], for parameters: [Parameter]) {
        precondition(buffers.count == parameters.count * buffersPerParameter, "optimizer state does not match the parameters")
        for (index, parameter) in parameters.enumerated() {
            let mine = Array(buffers[(index * buffersPerParameter)..<((index + 1) * buffersPerParameter)])
            precondition(mine.allSatisfy { $0.count == parameter.value.count }, "optimizer state size does not match \(parameter.name)")
            withBuffers(for: parameter) { $0 = mine }
        }
    }
}
