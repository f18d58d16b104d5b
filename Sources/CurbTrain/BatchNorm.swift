/// Batch normalization over the last axis (channels): `y = γ · (x − μ) / sqrt(σ² + ε) + β`.
///
/// Training mode normalizes with the batch's mean and (biased) variance over every other axis and
/// updates the running statistics `r ← momentum · r + (1 − momentum) · batch` (Keras's convention; the
/// running variance takes the batch's biased variance, as Keras does). Inference mode uses the running
/// statistics, so it is an affine map per channel — what export folds into the preceding convolution.
public final class BatchNorm: Layer {
    public let channels: Int
    public let momentum: Float
    public let epsilon: Float
    /// γ, starting at 1.
    public let scale: Parameter
    /// β, starting at 0.
    public let offset: Parameter
    public private(set) var runningMean: [Float]
    public private(set) var runningVariance: [Float]

    private var inputShape: [Int] = []
    private var normalized: [Float] = []
    private var inverseDeviation: [Float] = []
    private var trainingPass = false

    public init(channels: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
        precondition(channels > 0 && (0...1).contains(momentum) && epsilon > 0)
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Parameter(name: "scale", value: FloatTensor(shape: [channels], repeating: 1), decays: false)
        offset = Parameter(name: "offset", value: FloatTensor(shape: [channels]), decays: false)
        runningMean = [Float](repeating: 0, count: channels)
        runningVariance = [Float](repeating: 1, count: channels)
    }

    public var parameters: [Parameter] { [scale, offset] }

    public func outputShape(for inputShape: [Int]) throws(TrainingError) -> [Int] {
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw TrainingError("BatchNorm: input shape \(inputShape) has no channel axis")
        }
        guard inputShape.last == channels else {
            throw TrainingError("BatchNorm: input has \(inputShape.last!) channels, expected \(channels)")
        }
        return inputShape
    }

    /// Replaces the running statistics (e.g. from a checkpoint).
    public func setRunningStatistics(mean: [Float], variance: [Float]) {
        precondition(mean.count == channels && variance.count == channels)
        runningMean = mean
        runningVariance = variance
    }

    public func forward(_ input: FloatTensor, training: Bool) -> FloatTensor {
        do { _ = try outputShape(for: input.shape) } catch { preconditionFailure(error.message) }
        inputShape = input.shape
        trainingPass = training
        let channels = channels, rows = input.count / channels
        var mean = [Double](repeating: 0, count: channels)
        var variance = [Double](repeating: 0, count: channels)
        if training {
            // Two passes in Double: the sums run over up to N·H·W values.
            input.values.withUnsafeBufferPointer { x in
                mean.withUnsafeMutableBufferPointer { mean in
                    variance.withUnsafeMutableBufferPointer { variance in
                        for r in 0..<rows {
                            let row = x.baseAddress! + r * channels
                            for c in 0..<channels { mean[c] += Double(row[c]) }
                        }
                        for c in 0..<channels { mean[c] /= Double(rows) }
                        for r in 0..<rows {
                            let row = x.baseAddress! + r * channels
                            for c in 0..<channels {
                                let d = Double(row[c]) - mean[c]
                                variance[c] += d * d
                            }
                        }
                    }
                }
            }
            for c in 0..<channels {
                variance[c] /= Double(rows)
                runningMean[c] = momentum * runningMean[c] + (1 - momentum) * Float(mean[c])
                runningVariance[c] = momentum * runningVariance[c] + (1 - momentum) * Float(variance[c])
            }
        } else {
            for c in 0..<channels {
                mean[c] = Double(runningMean[c])
                variance[c] = Double(runningVariance[c])
            }
        }
        let meanFloat = mean.map { Float($0) }
        inverseDeviation = variance.map { Float(1 / ($0 + Double(epsilon)).squareRoot()) }
        if normalized.count != input.count { normalized = [Float](repeating: 0, count: input.count) }
        var output = [Float](repeating: 0, count: input.count)
        input.values.withUnsafeBufferPointer { x in
            normalized.withUnsafeMutableBufferPointer { xHat in
                output.withUnsafeMutableBufferPointer { y in
                    scale.value.values.withUnsafeBufferPointer { gamma in
                        offset.value.values.withUnsafeBufferPointer { beta in
                            inverseDeviation.withUnsafeBufferPointer { inverse in
                                meanFloat.withUnsafeBufferPointer { mu in
                                    for r in 0..<rows {
                                        let base = r * channels
                                        for c in 0..<channels {
                                            let h = (x[base + c] - mu[c]) * inverse[c]
                                            xHat[base + c] = h
                                            y[base + c] = gamma[c] * h + beta[c]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: input.shape, values: output)
    }

    /// Training mode: `dx = γ / (m · s) · (m · dy − Σdy − x̂ · Σ(dy · x̂))` with `s = sqrt(σ² + ε)` and
    /// `m` values per channel. Inference mode: `dx = γ · dy / s`.
    public func backward(_ outputGradient: FloatTensor) -> FloatTensor {
        precondition(outputGradient.shape == inputShape, "BatchNorm: output gradient does not match the last output")
        let channels = channels, rows = outputGradient.count / channels
        var sumGradient = [Double](repeating: 0, count: channels)
        var sumGradientNormalized = [Double](repeating: 0, count: channels)
        outputGradient.values.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xHat in
                sumGradient.withUnsafeMutableBufferPointer { sumGradient in
                    sumGradientNormalized.withUnsafeMutableBufferPointer { sumGradientNormalized in
                        for r in 0..<rows {
                            let base = r * channels
                            for c in 0..<channels {
                                sumGradient[c] += Double(dy[base + c])
                                sumGradientNormalized[c] += Double(dy[base + c] * xHat[base + c])
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<channels {
            scale.gradient.values[c] += Float(sumGradientNormalized[c])
            offset.gradient.values[c] += Float(sumGradient[c])
        }
        let count = Float(rows)
        let meanGradient = sumGradient.map { Float($0) / count }
        let meanGradientNormalized = sumGradientNormalized.map { Float($0) / count }
        let factor = (0..<channels).map { scale.value.values[$0] * inverseDeviation[$0] }
        let training = trainingPass
        var inputGradient = [Float](repeating: 0, count: outputGradient.count)
        outputGradient.values.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xHat in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    factor.withUnsafeBufferPointer { factor in
                        meanGradient.withUnsafeBufferPointer { meanDy in
                            meanGradientNormalized.withUnsafeBufferPointer { meanDyXHat in
                                for r in 0..<rows {
                                    let base = r * channels
                                    if training {
                                        for c in 0..<channels {
                                            dx[base + c] = factor[c] * (dy[base + c] - meanDy[c] - xHat[base + c] * meanDyXHat[c])
                                        }
                                    } else {
                                        for c in 0..<channels { dx[base + c] = factor[c] * dy[base + c] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return FloatTensor(shape: inputShape, values: inputGradient)
    }
}
