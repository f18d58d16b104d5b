import CurbModel

/// The reference int8 max pool: TFLite's `reference_integer_ops::MaxPool` (LiteRT's `kReference` for int8,
/// and TFLM's).
///
/// The maximum of the window clipped to the input (padded taps are ignored, not zeros), starting from −128,
/// then clamped to the activation range. Input and output share scale and zero point.
public struct MaxPool2D: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let window: PoolWindow
    let activationMinimum: Int8, activationMaximum: Int8

    /// Prepares the pool over validated views (see ``Pool2DOptions/validate(_:)``).
    public init(options: Pool2DOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        window = PoolWindow(options: options, input: input, output: output)
        activationMinimum = Int8(clamping: options.activation.minimum)
        activationMaximum = Int8(clamping: options.activation.maximum)
    }

    public func run() {
        let window = self.window
        for batch in 0..<window.batches {
            for outY in 0..<window.outputHeight {
                let (originY, rows) = window.rows(outY: outY)
                for outX in 0..<window.outputWidth {
                    let (originX, columns) = window.columns(outX: outX)
                    let outputBase = ((batch * window.outputHeight + outY) * window.outputWidth + outX) * window.channels
                    for channel in 0..<window.channels {
                        var maximum = Int8.min
                        for filterY in rows {
                            let rowBase = (batch * window.inputHeight + originY + filterY) * window.inputWidth + originX
                            for filterX in columns {
                                maximum = max(maximum, input[(rowBase + filterX) * window.channels + channel])
                            }
                        }
                        output[outputBase + channel] = min(max(maximum, activationMinimum), activationMaximum)
                    }
                }
            }
        }
    }
}
