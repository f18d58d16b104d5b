import CurbModel

/// The reference int8 2-D convolution: TFLite's `reference_integer_ops::ConvPerChannel`, which LiteRT's
/// `kReference` conv runs for int8 (and TFLM too).
///
/// For each output `(b, y, x, o)` in group `g = o / (O / groups)`:
/// `acc = Σ w[o, ky, kx, c] · (in[b, y·sh − top + ky·dh, x·sw − left + kx·dw, g·Cf + c] − zp_in)` over taps
/// inside the input (padding contributes nothing), `+ bias[o]`, then
/// `MultiplyByQuantizedMultiplier(acc, q[o], shift[o]) + zp_out`, clamped to the activation range.
/// The int32 accumulator wraps (`&+`) where the C++ would overflow, so no input can trap.
public struct Conv2D: OperatorKernel {
    let input: UnsafePointer<Int8>
    let filter: UnsafePointer<Int8>
    let bias: UnsafePointer<Int32>?
    let output: UnsafeMutablePointer<Int8>
    let batches: Int, inputHeight: Int, inputWidth: Int, inputChannels: Int
    let filterHeight: Int, filterWidth: Int, filterChannels: Int
    let outputHeight: Int, outputWidth: Int, outputChannels: Int
    let filtersPerGroup: Int
    let strideHeight: Int, strideWidth: Int, dilationHeight: Int, dilationWidth: Int
    let paddingTop: Int, paddingLeft: Int
    let inputOffset: Int32, outputOffset: Int32
    let activationMinimum: Int32, activationMaximum: Int32
    let requantization: [Requantization]

    /// Prepares the convolution over validated views (see ``Conv2DOptions/validate(_:)``).
    public init(options: Conv2DOptions, input: TensorView, filter: TensorView, bias: TensorView?, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.filter = UnsafePointer(filter.int8)
        self.bias = bias.map { UnsafePointer($0.int32) }
        self.output = output.int8
        batches = input.shape[0]
        inputHeight = input.shape[1]
        inputWidth = input.shape[2]
        inputChannels = input.shape[3]
        outputChannels = filter.shape[0]
        filterHeight = filter.shape[1]
        filterWidth = filter.shape[2]
        filterChannels = filter.shape[3]
        outputHeight = output.shape[1]
        outputWidth = output.shape[2]
        filtersPerGroup = outputChannels / (inputChannels / filterChannels)
        strideHeight = Int(options.strideHeight)
        strideWidth = Int(options.strideWidth)
        dilationHeight = Int(options.dilationHeight)
        dilationWidth = Int(options.dilationWidth)
        paddingTop = Int(options.padding.top)
        paddingLeft = Int(options.padding.left)
        inputOffset = -input.zeroPoint
        outputOffset = output.zeroPoint
        activationMinimum = options.activation.minimum
        activationMaximum = options.activation.maximum
        requantization = options.requantization
        precondition(requantization.count == outputChannels, "one requantization per output channel")
    }

    public func run() {
        for batch in 0..<batches {
            for outY in 0..<outputHeight {
                let originY = outY * strideHeight - paddingTop
                for outX in 0..<outputWidth {
                    let originX = outX * strideWidth - paddingLeft
                    let outputBase = ((batch * outputHeight + outY) * outputWidth + outX) * outputChannels
                    for outChannel in 0..<outputChannels {
                        let firstInputChannel = (outChannel / filtersPerGroup) * filterChannels
                        var accumulator: Int32 = 0
                        for filterY in 0..<filterHeight {
                            let inY = originY + dilationHeight * filterY
                            if inY < 0 || inY >= inputHeight { continue }
                            for filterX in 0..<filterWidth {
                                let inX = originX + dilationWidth * filterX
                                if inX < 0 || inX >= inputWidth { continue }
                                let inputBase = ((batch * inputHeight + inY) * inputWidth + inX) * inputChannels + firstInputChannel
                                let filterBase = ((outChannel * filterHeight + filterY) * filterWidth + filterX) * filterChannels
                                for channel in 0..<filterChannels {
                                    let inputValue = Int32(input[inputBase + channel]) + inputOffset
                                    accumulator &+= Int32(filter[filterBase + channel]) * inputValue
                                }
                            }
                        }
                        if let bias { accumulator &+= bias[outChannel] }
                        var result = FixedPoint.multiplyByQuantizedMultiplier(accumulator, requantization[outChannel]) &+ outputOffset
                        result = min(max(result, activationMinimum), activationMaximum)
                        output[outputBase + outChannel] = Int8(truncatingIfNeeded: result)
                    }
                }
            }
        }
    }
}

extension Conv2DOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Conv2D(options: self, input: inputs[0]!, filter: inputs[1]!, bias: inputs.count > 2 ? inputs[2] : nil, output: outputs[0])
    }
}
