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
    let geometry: ConvolutionGeometry
    /// Input channels each filter reads (`C / groups`), and filters per group.
    let filterChannels: Int, filtersPerGroup: Int

    /// Prepares the convolution over validated views (see ``Conv2DOptions/validate(_:)``).
    public init(options: Conv2DOptions, input: TensorView, filter: TensorView, bias: TensorView?, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.filter = UnsafePointer(filter.int8)
        self.bias = bias.map { UnsafePointer($0.int32) }
        self.output = output.int8
        geometry = ConvolutionGeometry(
            input: input, filter: filter, output: output, strideHeight: options.strideHeight,
            strideWidth: options.strideWidth, dilationHeight: options.dilationHeight,
            dilationWidth: options.dilationWidth, padding: options.padding, activation: options.activation,
            requantization: options.requantization)
        filterChannels = filter.shape[3]
        filtersPerGroup = geometry.outputChannels / (geometry.inputChannels / filterChannels)
    }

    public func run() {
        let g = geometry
        for batch in 0..<g.batches {
            for outY in 0..<g.outputHeight {
                let originY = outY * g.strideHeight - g.paddingTop
                for outX in 0..<g.outputWidth {
                    let originX = outX * g.strideWidth - g.paddingLeft
                    let outputBase = ((batch * g.outputHeight + outY) * g.outputWidth + outX) * g.outputChannels
                    for outChannel in 0..<g.outputChannels {
                        let firstInputChannel = (outChannel / filtersPerGroup) * filterChannels
                        var accumulator: Int32 = 0
                        for filterY in 0..<g.filterHeight {
                            let inY = originY + g.dilationHeight * filterY
                            if inY < 0 || inY >= g.inputHeight { continue }
                            for filterX in 0..<g.filterWidth {
                                let inX = originX + g.dilationWidth * filterX
                                if inX < 0 || inX >= g.inputWidth { continue }
                                let inputBase = ((batch * g.inputHeight + inY) * g.inputWidth + inX) * g.inputChannels
                                    + firstInputChannel
                                let filterBase = ((outChannel * g.filterHeight + filterY) * g.filterWidth + filterX) * filterChannels
                                for channel in 0..<filterChannels {
                                    let inputValue = Int32(input[inputBase + channel]) + g.inputOffset
                                    accumulator &+= Int32(filter[filterBase + channel]) * inputValue
                                }
                            }
                        }
                        output[outputBase + outChannel] = g.outputValue(accumulator, bias: bias, channel: outChannel)
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
