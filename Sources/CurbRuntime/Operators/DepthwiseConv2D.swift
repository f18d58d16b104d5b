import CurbModel

/// The reference int8 depthwise convolution: TFLite's `reference_integer_ops::DepthwiseConvPerChannel`
/// (LiteRT's `kReference` depthwise for int8, and TFLM's).
///
/// Output channel `o = c · m + j` (depth multiplier `m`) reads only input channel `c`:
/// `acc = Σ w[0, ky, kx, o] · (in[b, y·sh − top + ky·dh, x·sw − left + kx·dw, c] − zp_in)` over in-bounds
/// taps, `+ bias[o]`, `MultiplyByQuantizedMultiplier(acc, q[o], shift[o]) + zp_out`, clamped. The int32
/// accumulator wraps (`&+`) where the C++ would overflow.
public struct DepthwiseConv2D: OperatorKernel {
    let input: UnsafePointer<Int8>
    let filter: UnsafePointer<Int8>
    let bias: UnsafePointer<Int32>?
    let output: UnsafeMutablePointer<Int8>
    let geometry: ConvolutionGeometry
    let depthMultiplier: Int

    /// Prepares the depthwise convolution over validated views (see ``DepthwiseConv2DOptions/validate(_:)``).
    public init(options: DepthwiseConv2DOptions, input: TensorView, filter: TensorView, bias: TensorView?, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.filter = UnsafePointer(filter.int8)
        self.bias = bias.map { UnsafePointer($0.int32) }
        self.output = output.int8
        geometry = ConvolutionGeometry(
            input: input, filter: filter, output: output, strideHeight: options.strideHeight,
            strideWidth: options.strideWidth, dilationHeight: options.dilationHeight,
            dilationWidth: options.dilationWidth, padding: options.padding, activation: options.activation,
            requantization: options.requantization)
        depthMultiplier = Int(options.depthMultiplier)
        precondition(geometry.outputChannels == geometry.inputChannels * depthMultiplier,
                     "output channels = input channels × depth multiplier")
    }

    public func run() {
        let g = geometry
        for batch in 0..<g.batches {
            for outY in 0..<g.outputHeight {
                let originY = outY * g.strideHeight - g.paddingTop
                for outX in 0..<g.outputWidth {
                    let originX = outX * g.strideWidth - g.paddingLeft
                    let outputBase = ((batch * g.outputHeight + outY) * g.outputWidth + outX) * g.outputChannels
                    for inChannel in 0..<g.inputChannels {
                        for multiple in 0..<depthMultiplier {
                            let outChannel = inChannel * depthMultiplier + multiple
                            var accumulator: Int32 = 0
                            for filterY in 0..<g.filterHeight {
                                let inY = originY + g.dilationHeight * filterY
                                if inY < 0 || inY >= g.inputHeight { continue }
                                for filterX in 0..<g.filterWidth {
                                    let inX = originX + g.dilationWidth * filterX
                                    if inX < 0 || inX >= g.inputWidth { continue }
                                    let inputValue = Int32(input[((batch * g.inputHeight + inY) * g.inputWidth + inX)
                                                                 * g.inputChannels + inChannel]) + g.inputOffset
                                    let filterValue = Int32(filter[(filterY * g.filterWidth + filterX) * g.outputChannels + outChannel])
                                    accumulator &+= filterValue * inputValue
                                }
                            }
                            output[outputBase + outChannel] = g.outputValue(accumulator, bias: bias, channel: outChannel)
                        }
                    }
                }
            }
        }
    }
}

extension DepthwiseConv2DOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        DepthwiseConv2D(options: self, input: inputs[0]!, filter: inputs[1]!, bias: inputs.count > 2 ? inputs[2] : nil,
                        output: outputs[0])
    }
}
