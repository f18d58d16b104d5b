import CKernels
import CurbModel

/// The fast convolution: `Conv2D` with one group and `FullyConnected`, as an exact int8 GEMM in `CKernels`
/// (output pixels × output channels, depth = kernel height · width · input channels).
///
/// Computes the reference's bits: products of sign-extended int8 summed in int32 (`vpmaddwd` pairs cannot
/// saturate), `Σ w·x − zp_in·Σ w + bias` in wrapping int32 (equal, mod 2^32, to the reference's
/// `Σ w·(x − zp_in) + bias`, padding taps gathered as `zp_in`), then TFLite's double-rounding requantization.
/// Weights are packed to int16 pairs at prepare, in the arena's scratch region; the work is split over the
/// thread pool by output rows or by channel blocks, and every output is computed the same way either way.
public struct GemmConvolution: OperatorKernel {
    let parameters: UnsafeMutablePointer<curb_conv_params>
    let pool: ThreadPool

    /// The convolution's shape, as the reference kernel reads it.
    public struct Geometry: Sendable {
        public var batches: Int, inputHeight: Int, inputWidth: Int, inputChannels: Int
        public var kernelHeight: Int, kernelWidth: Int
        public var strideHeight: Int, strideWidth: Int, dilationHeight: Int, dilationWidth: Int
        public var paddingTop: Int, paddingLeft: Int
        public var outputHeight: Int, outputWidth: Int, outputChannels: Int

        public var depth: Int { kernelHeight * kernelWidth * inputChannels }
    }

    /// Scratch bytes for a convolution with these dimensions on `threads` threads.
    public static func scratchBytes(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, inputChannels: Int,
                                    threads: Int, instructionSet: Int32) -> Int {
        KernelContext.rounded(MemoryLayout<curb_conv_params>.size)
            + KernelContext.rounded(curb_conv_scratch_bytes(instructionSet, Int32(outputChannels), Int32(kernelHeight),
                                                            Int32(kernelWidth), Int32(inputChannels), Int32(threads)))
    }

    /// Packs the filter (`[O][depth]`, OHWI) and the per-channel values into scratch taken from `context`.
    public init(geometry g: Geometry, input: TensorView, filter: UnsafePointer<Int8>, bias: UnsafePointer<Int32>?,
                output: TensorView, requantization: [Requantization], activation: ActivationRange,
                context: KernelContext) {
        precondition(requantization.count == g.outputChannels, "one requantization per output channel")
        parameters = context.take(MemoryLayout<curb_conv_params>.size).bindMemory(to: curb_conv_params.self, capacity: 1)
        var p = curb_conv_params()
        p.input = UnsafePointer(input.int8)
        p.output = output.int8
        p.batches = Int32(g.batches)
        p.input_height = Int32(g.inputHeight); p.input_width = Int32(g.inputWidth); p.input_channels = Int32(g.inputChannels)
        p.kernel_height = Int32(g.kernelHeight); p.kernel_width = Int32(g.kernelWidth)
        p.stride_height = Int32(g.strideHeight); p.stride_width = Int32(g.strideWidth)
        p.dilation_height = Int32(g.dilationHeight); p.dilation_width = Int32(g.dilationWidth)
        p.padding_top = Int32(g.paddingTop); p.padding_left = Int32(g.paddingLeft)
        p.output_height = Int32(g.outputHeight); p.output_width = Int32(g.outputWidth)
        p.output_channels = Int32(g.outputChannels)
        p.input_zero_point = input.zeroPoint
        p.output_zero_point = output.zeroPoint
        p.activation_min = activation.minimum
        p.activation_max = activation.maximum
        p.isa = context.instructionSet
        let threads = Int32(context.pool.threads)
        let scratch = context.take(curb_conv_scratch_bytes(p.isa, p.output_channels, p.kernel_height, p.kernel_width,
                                                           p.input_channels, threads))
        let multipliers = requantization.map(\.multiplier)
        let shifts = requantization.map(\.shift)
        curb_conv_prepare(&p, filter, bias, multipliers, shifts, threads, scratch)
        parameters.initialize(to: p)
        pool = context.pool
    }

    public func run() {
        curb_conv_run(parameters, pool.pool)
    }
}

extension Conv2DOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        guard let input = inputs[0], let filter = inputs[1], filter.shape[3] == input.shape[3] else { return 0 }
        return GemmConvolution.scratchBytes(outputChannels: filter.shape[0], kernelHeight: filter.shape[1],
                                            kernelWidth: filter.shape[2], inputChannels: filter.shape[3],
                                            threads: threads, instructionSet: instructionSet)
    }

    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        let input = inputs[0]!, filter = inputs[1]!, output = outputs[0]
        // Grouped convolutions keep the reference kernel.
        guard filter.shape[3] == input.shape[3] else { return makeKernel(kind: kind, inputs: inputs, outputs: outputs) }
        let geometry = GemmConvolution.Geometry(
            batches: input.shape[0], inputHeight: input.shape[1], inputWidth: input.shape[2], inputChannels: input.shape[3],
            kernelHeight: filter.shape[1], kernelWidth: filter.shape[2],
            strideHeight: Int(strideHeight), strideWidth: Int(strideWidth),
            dilationHeight: Int(dilationHeight), dilationWidth: Int(dilationWidth),
            paddingTop: Int(padding.top), paddingLeft: Int(padding.left),
            outputHeight: output.shape[1], outputWidth: output.shape[2], outputChannels: filter.shape[0])
        return GemmConvolution(geometry: geometry, input: input, filter: UnsafePointer(filter.int8),
                               bias: inputs.count > 2 ? inputs[2].map { UnsafePointer($0.int32) } : nil, output: output,
                               requantization: requantization, activation: activation, context: context)
    }
}

extension FullyConnectedOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        guard let filter = inputs[1] else { return 0 }
        return GemmConvolution.scratchBytes(outputChannels: filter.shape[0], kernelHeight: 1, kernelWidth: 1,
                                            inputChannels: filter.shape[1], threads: threads,
                                            instructionSet: instructionSet)
    }

    /// A fully connected layer is a 1×1 convolution over `B = elements / D` pixels of depth `D`.
    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        let input = inputs[0]!, filter = inputs[1]!
        let units = filter.shape[0], depth = filter.shape[1]
        let geometry = GemmConvolution.Geometry(
            batches: 1, inputHeight: 1, inputWidth: input.elementCount / depth, inputChannels: depth,
            kernelHeight: 1, kernelWidth: 1, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
            paddingTop: 0, paddingLeft: 0, outputHeight: 1, outputWidth: input.elementCount / depth, outputChannels: units)
        let perUnit = requantization.count == units
            ? requantization : [Requantization](repeating: requantization[0], count: units)
        return GemmConvolution(geometry: geometry, input: input, filter: UnsafePointer(filter.int8),
                               bias: inputs.count > 2 ? inputs[2].map { UnsafePointer($0.int32) } : nil,
                               output: outputs[0], requantization: perUnit, activation: activation, context: context)
    }
}
