import CKernels
import CurbModel

/// The fast int8 ADD in `CKernels` (AVX2, NEON, portable C): the reference's arithmetic (``Add``) on vectors of
/// 16 elements, large outputs split over the pool. Covers the broadcasts MobileNet-style graphs use: none (the
/// residual connections), one side a suffix of the other's shape (per-channel: `[C]` or `[1, 1, 1, C]` against
/// `[N, H, W, C]`), and one side a single element. Other broadcasts keep the reference kernel.
public struct FastAdd: OperatorKernel {
    let parameters: UnsafeMutablePointer<curb_add_params>
    let pool: ThreadPool

    /// How the output's rows read the two inputs: `inner` elements per row, each input's step per row and per
    /// element (0 = broadcast). Nil when the shapes need the general broadcast walk.
    struct Layout: Equatable {
        var inner: Int
        var outerStep1: Int, outerStep2: Int
        var innerStep1: Int, innerStep2: Int

        init?(_ shape1: TensorShape, _ shape2: TensorShape, output: TensorShape) {
            let count = output.elementCount
            if shape1.elementCount == count, shape2.elementCount == count {
                // Both have every output element (the shapes can differ only by leading 1s): elementwise.
                self.init(inner: max(count, 1), outerStep1: 0, outerStep2: 0, innerStep1: 1, innerStep2: 1)
            } else if shape1.elementCount == count, shape2.elementCount == 1 {
                self.init(inner: max(count, 1), outerStep1: 0, outerStep2: 0, innerStep1: 1, innerStep2: 0)
            } else if shape2.elementCount == count, shape1.elementCount == 1 {
                self.init(inner: max(count, 1), outerStep1: 0, outerStep2: 0, innerStep1: 0, innerStep2: 1)
            } else if shape1.elementCount == count, Self.isSuffix(shape2, of: output) {
                let inner = shape2.elementCount
                self.init(inner: inner, outerStep1: inner, outerStep2: 0, innerStep1: 1, innerStep2: 1)
            } else if shape2.elementCount == count, Self.isSuffix(shape1, of: output) {
                let inner = shape1.elementCount
                self.init(inner: inner, outerStep1: 0, outerStep2: inner, innerStep1: 1, innerStep2: 1)
            } else {
                return nil
            }
        }

        init(inner: Int, outerStep1: Int, outerStep2: Int, innerStep1: Int, innerStep2: Int) {
            self.inner = inner
            self.outerStep1 = outerStep1; self.outerStep2 = outerStep2
            self.innerStep1 = innerStep1; self.innerStep2 = innerStep2
        }

        /// True when `shape` without its leading 1s equals the last dimensions of `output` (and is not empty).
        static func isSuffix(_ shape: TensorShape, of output: TensorShape) -> Bool {
            var first = 0
            while first < shape.rank, shape[first] == 1 { first += 1 }
            let length = shape.rank - first
            guard length > 0, length <= output.rank, shape.elementCount > 0 else { return false }
            for position in 0..<length where shape[first + position] != output[output.rank - length + position] {
                return false
            }
            return true
        }
    }

    public static var scratchBytes: Int { KernelContext.rounded(MemoryLayout<curb_add_params>.size) }

    init(options: AddOptions, input1: TensorView, input2: TensorView, output: TensorView, layout: Layout,
         context: KernelContext) {
        parameters = context.take(MemoryLayout<curb_add_params>.size).bindMemory(to: curb_add_params.self, capacity: 1)
        var p = curb_add_params()
        p.input1 = UnsafePointer(input1.int8)
        p.input2 = UnsafePointer(input2.int8)
        p.output = output.int8
        p.count = Int64(output.shape.elementCount)
        p.inner = Int64(layout.inner)
        p.outer_step1 = Int64(layout.outerStep1); p.outer_step2 = Int64(layout.outerStep2)
        p.inner_step1 = Int32(layout.innerStep1); p.inner_step2 = Int32(layout.innerStep2)
        p.input1_offset = -input1.zeroPoint
        p.input2_offset = -input2.zeroPoint
        p.left_shift = options.leftShift
        // Validated: every shift is ≤ 0 (MultiplyByQuantizedMultiplierSmallerThanOneExp shifts right only).
        p.input1_multiplier = options.input1.multiplier; p.input1_right_shift = -options.input1.shift
        p.input2_multiplier = options.input2.multiplier; p.input2_right_shift = -options.input2.shift
        p.output_multiplier = options.output.multiplier; p.output_right_shift = -options.output.shift
        p.output_zero_point = output.zeroPoint
        p.activation_min = options.activation.minimum
        p.activation_max = options.activation.maximum
        p.isa = context.instructionSet
        parameters.initialize(to: p)
        pool = context.pool
    }

    public func run() {
        curb_add_run(parameters, pool.pool)
    }
}

extension AddOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        guard let first = inputs[0], let second = inputs[1],
              FastAdd.Layout(first.shape, second.shape, output: outputs[0].shape) != nil else { return 0 }
        return FastAdd.scratchBytes
    }

    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        let first = inputs[0]!, second = inputs[1]!, output = outputs[0]
        guard let layout = FastAdd.Layout(first.shape, second.shape, output: output.shape) else {
            return makeKernel(kind: kind, inputs: inputs, outputs: outputs)
        }
        return FastAdd(options: self, input1: first, input2: second, output: output, layout: layout, context: context)
    }
}
