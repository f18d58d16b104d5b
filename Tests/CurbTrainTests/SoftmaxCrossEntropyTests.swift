import Foundation
import Testing
@testable import CurbTrain

@Suite struct SoftmaxCrossEntropyTests {
    @Test func lossGradientAndAccuracyByHand() {
        // Row 0: logits [0, ln 3] → softmax [1/4, 3/4]; label 1 → loss −ln(3/4); gradient (p − onehot) / 2 =
        // [1/8, −1/8]; argmax 1 = label. Row 1: logits [2, 2] → [1/2, 1/2]; label 1 → loss ln 2; gradient
        // [1/4, −1/4]; argmax is the first maximum (0) ≠ label. Mean loss (−ln 0.75 + ln 2) / 2.
        let logits = FloatTensor(shape: [2, 2], values: [0, Float(log(3.0)), 2, 2])
        let result = SoftmaxCrossEntropy().evaluate(logits: logits, labels: [1, 1])
        #expect(abs(Double(result.loss) - (-log(0.75) + log(2.0)) / 2) < 1e-6)
        let expected: [Float] = [0.125, -0.125, 0.25, -0.25]
        for index in 0..<4 { #expect(abs(result.gradient.values[index] - expected[index]) < 1e-6) }
        #expect(result.correct == 1)
    }

    @Test func labelSmoothingSpreadsTheTarget() {
        // Smoothing 0.3 over 3 classes: targets [0.1, 0.8, 0.1] for label 1. Equal logits → p = 1/3 each:
        // loss = −Σ t ln(1/3) = ln 3; gradient = p − t = [1/3 − 0.1, 1/3 − 0.8, 1/3 − 0.1].
        let result = SoftmaxCrossEntropy(labelSmoothing: 0.3).evaluate(logits: FloatTensor(shape: [1, 3], repeating: 5), labels: [1])
        #expect(abs(Double(result.loss) - log(3.0)) < 1e-6)
        let expected: [Float] = [1.0 / 3 - 0.1, 1.0 / 3 - 0.8, 1.0 / 3 - 0.1]
        for index in 0..<3 { #expect(abs(result.gradient.values[index] - expected[index]) < 1e-6) }
    }

    @Test func largeLogitsDoNotOverflow() {
        let result = SoftmaxCrossEntropy().evaluate(logits: FloatTensor(shape: [1, 2], values: [1000, 0]), labels: [1])
        #expect(abs(result.loss - 1000) < 1e-3)
        #expect(result.gradient.values.allSatisfy { $0.isFinite })
    }

    @Test(arguments: [Float(0), 0.1])
    func gradientMatchesCentralDifferences(smoothing: Float) {
        // The loss itself is the scalar: (L(z + ε) − L(z − ε)) / 2ε against the returned gradient.
        var generator = RandomSource(seed: 17)
        var logits = FloatTensor.random(shape: [4, 5], in: -3...3, using: &generator)
        let labels = [0, 3, 4, 1]
        let loss = SoftmaxCrossEntropy(labelSmoothing: smoothing)
        let analytic = loss.evaluate(logits: logits, labels: labels).gradient.values.map(Double.init)
        var numeric: [Double] = []
        let epsilon: Float = 1e-2
        for index in 0..<logits.count {
            let original = logits.values[index]
            logits.values[index] = original + epsilon
            let plus = Double(loss.evaluate(logits: logits, labels: labels).loss)
            logits.values[index] = original - epsilon
            let minus = Double(loss.evaluate(logits: logits, labels: labels).loss)
            logits.values[index] = original
            numeric.append((plus - minus) / Double(2 * epsilon))
        }
        let error = GradientCheck.relativeError(analytic, numeric)
        // The loss is returned in Float (relative rounding 6e-8 on a loss near 2: about 1e-7 absolute,
        // 1e-5 after dividing by 2ε) and softmax curvature gives O(ε²) truncation: 1e-3 holds both.
        #expect(error < 1e-3, "\(error)")
    }
}
