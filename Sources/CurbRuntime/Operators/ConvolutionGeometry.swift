import CurbModel

/// What the two reference convolutions share: shapes, strides, dilations, padding, zero points, the clamp and the
/// per-channel requantization, and the epilogue that turns an output channel's accumulator into its int8 value.
struct ConvolutionGeometry {
    let batches: Int, inputHeight: Int, inputWidth: Int, inputChannels: Int
    let filterHeight: Int, filterWidth: Int
    let outputHeight: Int, outputWidth: Int, outputChannels: Int
    let strideHeight: Int, strideWidth: Int, dilationHeight: Int, dilationWidth: Int
    let paddingTop: Int, paddingLeft: Int
    let inputOffset: Int32, outputOffset: Int32
    let activation: ActivationRange
    let requantization: [Requantization]

    /// NHWC input and output, `[·, height, width, ·]` filter.
    init(input: TensorView, filter: TensorView, output: TensorView, strideHeight: Int32, strideWidth: Int32,
         dilationHeight: Int32, dilationWidth: Int32, padding: Padding2D, activation: ActivationRange,
         requantization: [Requantization]) {
        batches = input.shape[0]
        inputHeight = input.shape[1]
        inputWidth = input.shape[2]
        inputChannels = input.shape[3]
        filterHeight = filter.shape[1]
        filterWidth = filter.shape[2]
        outputHeight = output.shape[1]
        outputWidth = output.shape[2]
        outputChannels = output.shape[3]
        self.strideHeight = Int(strideHeight)
        self.strideWidth = Int(strideWidth)
        self.dilationHeight = Int(dilationHeight)
        self.dilationWidth = Int(dilationWidth)
        paddingTop = Int(padding.top)
        paddingLeft = Int(padding.left)
        inputOffset = -input.zeroPoint
        outputOffset = output.zeroPoint
        self.activation = activation
        self.requantization = requantization
        precondition(requantization.count == outputChannels, "one requantization per output channel")
    }

    /// `acc + bias` (wrapping), `MultiplyByQuantizedMultiplier`, `+ zp_out`, clamped to the activation range.
    @inline(__always)
    func outputValue(_ accumulator: Int32, bias: UnsafePointer<Int32>?, channel: Int) -> Int8 {
        var accumulator = accumulator
        if let bias { accumulator &+= bias[channel] }
        let result = FixedPoint.multiplyByQuantizedMultiplier(accumulator, requantization[channel]) &+ outputOffset
        return Int8(truncatingIfNeeded: min(max(result, activation.minimum), activation.maximum))
    }
}
