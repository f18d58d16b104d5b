import CKernels
import CurbModel

/// The fast depthwise convolution (depth multiplier 1) in `CKernels`: channels in vectors, `(x − zp_in) · w`
/// exact in int16, int32 accumulators, TFLite's double-rounding requantization; rows split over the pool.
/// Computes the reference's bits (``DepthwiseConv2D``); other depth multipliers keep the reference kernel.
public struct FastDepthwiseConv2D: OperatorKernel {
    let parameters: UnsafeMutablePointer<curb_depthwise_params>
    let pool: ThreadPool

    public static func scratchBytes(channels: Int, taps: Int, instructionSet: Int32) -> Int {
        KernelContext.rounded(MemoryLayout<curb_depthwise_params>.size)
            + KernelContext.rounded(curb_depthwise_scratch_bytes(instructionSet, Int32(channels), Int32(taps)))
    }

    public init(options: DepthwiseConv2DOptions, input: TensorView, filter: TensorView, bias: TensorView?,
                output: TensorView, context: KernelContext) {
        precondition(options.depthMultiplier == 1 && options.requantization.count == input.shape[3],
                     "depth multiplier 1, one requantization per channel")
        parameters = context.take(MemoryLayout<curb_depthwise_params>.size)
            .bindMemory(to: curb_depthwise_params.self, capacity: 1)
        var p = curb_depthwise_params()
        p.input = UnsafePointer(input.int8)
        p.output = output.int8
        p.batches = Int32(input.shape[0])
        p.input_height = Int32(input.shape[1]); p.input_width = Int32(input.shape[2]); p.channels = Int32(input.shape[3])
        p.kernel_height = Int32(filter.shape[1]); p.kernel_width = Int32(filter.shape[2])
        p.stride_height = options.strideHeight; p.stride_width = options.strideWidth
        p.dilation_height = options.dilationHeight; p.dilation_width = options.dilationWidth
        p.padding_top = options.padding.top; p.padding_left = options.padding.left
        p.output_height = Int32(output.shape[1]); p.output_width = Int32(output.shape[2])
        p.input_zero_point = input.zeroPoint
        p.output_zero_point = output.zeroPoint
        p.activation_min = options.activation.minimum
        p.activation_max = options.activation.maximum
        p.isa = context.instructionSet
        let scratch = context.take(curb_depthwise_scratch_bytes(p.isa, p.channels, p.kernel_height * p.kernel_width))
        curb_depthwise_prepare(&p, UnsafePointer(filter.int8), bias.map { UnsafePointer($0.int32) },
                               options.requantization.map(\.multiplier), options.requantization.map(\.shift), scratch)
        parameters.initialize(to: p)
        pool = context.pool
    }

    public func run() {
        curb_depthwise_run(parameters, pool.pool)
    }
}

extension DepthwiseConv2DOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        guard depthMultiplier == 1, let input = inputs[0], let filter = inputs[1] else { return 0 }
        return FastDepthwiseConv2D.scratchBytes(channels: input.shape[3], taps: filter.shape[1] * filter.shape[2],
                                                instructionSet: instructionSet)
    }

    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        guard depthMultiplier == 1 else { return makeKernel(kind: kind, inputs: inputs, outputs: outputs) }
        return FastDepthwiseConv2D(options: self, input: inputs[0]!, filter: inputs[1]!,
                                   bias: inputs.count > 2 ? inputs[2] : nil, output: outputs[0], context: context)
    }
}
