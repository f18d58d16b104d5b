import CurbModel

/// Activation ranges of a ``FoldedNetwork``'s stages measured on calibration images, and the int8
/// quantization each choice of range gives.
///
/// Two kinds of range: the observed minimum and maximum, and percentiles of a fixed subsample of the values
/// (which clip rare outliers to give the common values finer steps). The exporter tries several and keeps
/// the one with the best measured int8 validation accuracy.
public struct ActivationCalibration {
    public enum Method: Sendable, Equatable, CustomStringConvertible {
        case minMax
        /// Lower and upper percentile at `(100 − p)` and `p`, e.g. 99.99.
        case percentile(Double)

        public var description: String {
            switch self {
            case .minMax: "min/max"
            case .percentile(let p): "percentile \(p)"
            }
        }
    }

    /// Per stage: observed minimum and maximum.
    public private(set) var minimum: [Float]
    public private(set) var maximum: [Float]
    /// Per stage: a deterministic subsample of the output values (every `stride`-th), sorted.
    public private(set) var samples: [[Float]]

    /// Runs `images` (preprocessed, `[N, H, W, 3]` batches) through `network` and records every stage.
    public init(network: FoldedNetwork, batches: [FloatTensor], samplesPerStage: Int = 200_000) {
        let stageCount = network.stages.count
        var minimum = [Float](repeating: .infinity, count: stageCount)
        var maximum = [Float](repeating: -.infinity, count: stageCount)
        var collected = [[Float]](repeating: [], count: stageCount)
        var strides = [Int](repeating: 0, count: stageCount)
        for batch in batches {
            _ = network.forward(batch) { stage, output in
                if strides[stage] == 0 {
                    // Aim for `samplesPerStage` values over all batches; prime strides avoid sampling one channel.
                    let expected = output.count / max(1, batch.batch) * batches.reduce(0) { $0 + $1.batch }
                    strides[stage] = max(1, expected / samplesPerStage) | 1
                }
                var low = minimum[stage], high = maximum[stage]
                output.values.withUnsafeBufferPointer { values in
                    for value in values {
                        low = min(low, value)
                        high = max(high, value)
                    }
                    var position = 0
                    while position < values.count {
                        collected[stage].append(values[position])
                        position += strides[stage]
                    }
                }
                minimum[stage] = low
                maximum[stage] = high
            }
        }
        self.minimum = minimum
        self.maximum = maximum
        samples = collected.map { $0.sorted() }
    }

    /// The real range of stage `stage` under `method`, always containing 0 (so zero is exact), clipped to
    /// the fused activation's bounds.
    public func range(stage: Int, method: Method, activation: FusedActivation) -> (low: Float, high: Float) {
        var low: Float, high: Float
        switch method {
        case .minMax:
            low = minimum[stage]
            high = maximum[stage]
        case .percentile(let p):
            let values = samples[stage]
            guard !values.isEmpty else { return (0, 1) }
            let upper = Int((Double(values.count - 1) * p / 100).rounded())
            let lower = Int((Double(values.count - 1) * (100 - p) / 100).rounded())
            low = values[lower]
            high = values[upper]
        }
        low = min(low, 0)
        high = max(high, 0)
        switch activation {
        case .relu6:
            low = 0
            high = min(high, 6)
        case .relu:
            low = 0
        default: break
        }
        if high - low < 1e-6 { high = low + 1e-6 }
        return (low, high)
    }

    /// Asymmetric int8 quantization of `[low, high]`: `scale = (high − low) / 255`, zero point
    /// `round(−128 − low / scale)` clamped to int8. A range starting at 0 gets zero point −128 (so
    /// ReLU6's [0, 6] is scale 6/255, zero point −128).
    public static func quantization(low: Float, high: Float) -> Quantization {
        let scale = (high - low) / 255
        let zeroPoint = (-128 - Double(low) / Double(scale)).rounded()
        return Quantization(scale: scale, zeroPoint: Int32(min(127, max(-128, zeroPoint))))
    }
}
