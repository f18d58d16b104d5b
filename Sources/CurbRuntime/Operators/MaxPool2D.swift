import CurbModel

/// The reference int8 max pool: TFLite's `reference_integer_ops::MaxPool` (LiteRT's `kReference` for int8,
/// and TFLM's).
///
/// The maximum of the window clipped to the input (padded taps are ignored, not zeros), starting from −128,
/// then clamped to the activation range. Input and output share scale and zero point.
public struct MaxPool2D: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let batches: Int, inputHeight: Int, inputWidth: Int, channels: Int
    let outputHeight: Int, outputWidth: Int
    let filterHeight: Int, filterWidth: Int, strideHeight: Int, strideWidth: Int
    let paddingTop: Int, paddingLeft: Int
    let activationMinimum: Int8, activationMaximum: Int8

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
        activationMinimum = Int8(clamping: options.activation.minimum)
        activationMaximum = Int8(clamping: options.activation.maximum)
    }

    public func run() {
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                let originY = outY * strideHeight - paddingTop
                let startY = max(0, -originY), endY = min(filterHeight, inputHeight - originY)
                for outX in 0..<outputWidth {
                    let originX = outX * strideWidth - paddingLeft
                    let startX = max(0, -originX), endX = min(filterWidth, inputWidth - originX)
                    let outputBase = ((batch * outputHeight + outY) * outputWidth + outX) * channels
                    for channel in 0..<channels {
                        var maximum = Int8.min
                        for filterY in startY..<max(startY, endY) {
                            let rowBase = (batch * inputHeight + originY + filterY) * inputWidth + originX
                            for filterX in startX..<max(startX, endX) {
                                maximum = max(maximum, input[(rowBase + filterX) * channels + channel])
                            }
                        }
                        output[outputBase + channel] = min(max(maximum, activationMinimum), activationMaximum)
                    }
                }
            }
        }
    }
}
