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
    let batches: Int, inputHeight: Int, inputWidth: Int, channels: Int
    let outputHeight: Int, outputWidth: Int
    let filterHeight: Int, filterWidth: Int, strideHeight: Int, strideWidth: Int
    let paddingTop: Int, paddingLeft: Int
    let activationMinimum: Int32, activationMaximum: Int32

    /// Prepares the pool over validated views (see ``Pool2DOptions/validate(_:)``).
    public init(options: Pool2DOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        batches = input.shape[0]
        inputHeight = input.shape[1]
        inputWidth = input.shape[2]
        channels = input.shape[3]
        outputHeight = output.shape[1]
        outputWidth = output.shape[2]
        filterHeight = Int(options.filterHeight)
        filterWidth = Int(options.filterWidth)
        strideHeight = Int(options.strideHeight)
        strideWidth = Int(options.strideWidth)
        paddingTop = Int(options.padding.top)
        paddingLeft = Int(options.padding.left)
        activationMinimum = options.activation.minimum
        activationMaximum = options.activation.maximum
    }

    public func run() {
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                let originY = outY * strideHeight - paddingTop
                let startY = max(0, -originY), endY = min(filterHeight, inputHeight - originY)
                for outX in 0..<outputWidth {
                    let originX = outX * strideWidth - paddingLeft
                    let startX = max(0, -originX), endX = min(filterWidth, inputWidth - originX)
                    let count = Int32((endY - startY) * (endX - startX))
                    let outputBase = ((batch * outputHeight + outY) * outputWidth + outX) * channels
                    for channel in 0..<channels {
                        var sum: Int32 = 0
                        for filterY in startY..<max(startY, endY) {
                            let rowBase = (batch * inputHeight + originY + filterY) * inputWidth + originX
                            for filterX in startX..<max(startX, endX) {
                                sum &+= Int32(input[(rowBase + filterX) * channels + channel])
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
