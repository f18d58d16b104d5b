import Foundation

/// Softmax followed by cross-entropy against integer labels, averaged over the batch, with optional label
/// smoothing: the target for class `k` of `K` is `(1 − s) · [k = label] + s / K`.
public struct SoftmaxCrossEntropy: Sendable {
    public var labelSmoothing: Float

    public init(labelSmoothing: Float = 0) {
        precondition(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)")
        self.labelSmoothing = labelSmoothing
    }

    /// The loss, its gradient with respect to `logits` (`(softmax − target) / N`), and how many rows'
    /// largest logit is the label. `logits` is `[N, K]`; labels are in `0..<K`.
    public func evaluate(logits: FloatTensor, labels: [Int]) -> (loss: Float, gradient: FloatTensor, correct: Int) {
        precondition(logits.shape.count == 2 && logits.batch == labels.count, "logits must be [N, K] with one label per row")
        let batch = logits.batch, classes = logits.shape[1]
        var gradient = [Float](repeating: 0, count: logits.count)
        var total = 0.0
        var correct = 0
        let offTarget = Double(labelSmoothing) / Double(classes)
        let onTarget = 1 - Double(labelSmoothing) + offTarget
        for row in 0..<batch {
            let label = labels[row]
            precondition((0..<classes).contains(label), "label \(label) is outside 0..<\(classes)")
            let base = row * classes
            var largest = logits.values[base], best = 0
            for k in 1..<max(1, classes) where logits.values[base + k] > largest {
                largest = logits.values[base + k]
                best = k
            }
            if best == label { correct += 1 }
            // Shifted by the largest logit so exp never overflows; log-sum-exp in Double.
            var sum = 0.0
            for k in 0..<classes { sum += exp(Double(logits.values[base + k] - largest)) }
            let logSum = log(sum)
            for k in 0..<classes {
                let logProbability = Double(logits.values[base + k] - largest) - logSum
                let target = k == label ? onTarget : offTarget
                total -= target * logProbability
                gradient[base + k] = Float((exp(logProbability) - target) / Double(batch))
            }
        }
        return (Float(total / Double(batch)), FloatTensor(shape: logits.shape, values: gradient), correct)
    }
}
