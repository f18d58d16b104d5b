import CurbModel

/// The reference int8 average pool: TFLite's `reference_integer_ops::AveragePool` (LiteRT's `kReference`
/// for int8, and TFLM's).
///
/// Input and output share scale and zero point, so raw int8 values are averaged. The window is clipped to
/// the input: padded taps count neither in the sum nor in `n`. `avg = acc > 0 ? (acc + n/2) / n :
/// (acc − n/2) / n` with truncating division (round half away from zero), then clamped to the activation
/// range. Validation guarantees `n ≥ 1` for every window.
public struct AveragePool2D: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let window: PoolWindow
    let activationMinimum: Int32, activationMaximum: Int32

    /// Prepares the pool over validated views (see ``Pool2DOptions/validate(_:)``).
    public init(options: Pool2DOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        window = PoolWindow(options: options, input: input, output: output)
        activationMinimum = options.activation.minimum
        activationMaximum = options.activation.maximum
    }

    public func run() {
        let window = self.window
        for batch in 0..<window.batches {
            for outY in 0..<window.outputHeight {
                let (originY, rows) = window.rows(outY: outY)
                for outX in 0..<window.outputWidth {
                    let (originX, columns) = window.columns(outX: outX)
                    let count = Int32(rows.count * columns.count)
                    let outputBase = ((batch * window.outputHeight + outY) * window.outputWidth + outX) * window.channels
                    for channel in 0..<window.channels {
                        var sum: Int32 = 0
                        for filterY in rows {
                            let rowBase = (batch * window.inputHeight + originY + filterY) * window.inputWidth + originX
                            for filterX in columns {
                                sum &+= Int32(input[(rowBase + filterX) * window.channels + channel])
                            }
                        }
                        var average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count
                        average = min(max(average, activationMinimum), activationMaximum)
                        output[outputBase + channel] = Int8(truncatingIfNeeded: average)
                    }
                }
            }
        }
    }
}

/// Pool options serve both pools; the graph's operator kind picks the kernel.
extension Pool2DOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        switch kind {
        case .averagePool2D: AveragePool2D(options: self, input: inputs[0]!, output: outputs[0])
        case .maxPool2D: MaxPool2D(options: self, input: inputs[0]!, output: outputs[0])
        default: preconditionFailure("pool options under operator kind \(kind)")
        }
    }
}
