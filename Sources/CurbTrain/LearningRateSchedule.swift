import Foundation

/// The learning rate as a function of the optimizer step (0-based).
public enum LearningRateSchedule: Sendable, Equatable {
    /// The same rate throughout.
    case constant(Float)
    /// `initial · factor^⌊step / interval⌋`: multiplied by `factor` every `interval` steps.
    case step(initial: Float, factor: Float, interval: Int)
    /// Linear warm-up from `peak / warmupSteps` to `peak` over the first `warmupSteps` steps, then a
    /// half cosine from `peak` down to `minimum` at `totalSteps` (and `minimum` after).
    case cosine(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float)

    public func rate(atStep step: Int) -> Float {
        switch self {
        case .constant(let rate):
            return rate
        case .step(let initial, let factor, let interval):
            precondition(interval > 0, "step schedule interval must be positive")
            return initial * Float(pow(Double(factor), Double(step / interval)))
        case .cosine(let peak, let warmupSteps, let totalSteps, let minimum):
            if step < warmupSteps {
                return peak * Float(step + 1) / Float(warmupSteps)
            }
            let span = max(1, totalSteps - warmupSteps)
            let progress = min(1, Double(step - warmupSteps) / Double(span))
            return minimum + (peak - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
