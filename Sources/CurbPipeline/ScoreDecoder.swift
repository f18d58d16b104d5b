import CurbModel
import CurbRuntime

/// Turns a classifier's output tensor into scores: dequantized probabilities when the model ends in a
/// softmax or logistic, otherwise a softmax (in Double) over the dequantized logits.
public struct ScoreDecoder: Sendable {
    public let labels: [String]
    /// Whether the output already holds probabilities.
    public let outputIsProbability: Bool

    public init(model: Model) {
        let outputIndex = model.outputs[0]
        let producer = model.operators.last { $0.outputs.contains(outputIndex) }
        outputIsProbability = producer?.kind == .softmax || producer?.kind == .logistic
        let classes = model.tensors[Int(outputIndex)].shape.elementCount
        labels = model.metadata.labels.count == classes ? model.metadata.labels : (0..<classes).map { "class_\($0)" }
    }

    /// Scores of every class (`scores.count == labels.count`), written into `scores` (reused, no allocation
    /// once it has the right capacity).
    public func scores(of output: TensorView, into scores: inout [Double]) {
        let count = output.elementCount
        scores.removeAll(keepingCapacity: true)
        for index in 0..<count {
            let value: Double = switch output.type {
            case .int8: Double(Int32(output.int8[index]) - output.zeroPoint) * Double(output.scale)
            case .float32: Double(output.float32[index])
            case .int32: Double(output.int32[index])
            }
            scores.append(value)
        }
        guard !outputIsProbability, count > 0 else { return }
        let maximum = scores.max()!
        var total = 0.0
        for index in 0..<count {
            scores[index] = Self.exp(scores[index] - maximum)
            total += scores[index]
        }
        for index in 0..<count { scores[index] /= total }
    }

    /// e^x for x ≤ 0 (scores only; not part of any bit-exact path).
    static func exp(_ x: Double) -> Double {
        // Range reduction: e^x = 2^k · e^r with |r| ≤ ln2/2, then a Taylor series.
        if x < -700 { return 0 }
        let k = (x / 0.6931471805599453).rounded()
        let r = x - k * 0.6931471805599453
        var term = 1.0, sum = 1.0
        for n in 1...16 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// The indices of the `k` best scores, highest first; ties keep the lower index first.
    public static func topIndices(_ scores: [Double], k: Int) -> [Int] {
        Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k))
    }
}
