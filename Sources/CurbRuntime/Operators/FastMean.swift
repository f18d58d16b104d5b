import CKernels
import CurbModel

/// The fast int8 mean for means over one contiguous run of axes (the spatial mean `[N, H, W, C] → [N, C]` of
/// classifier heads): the input is `[outer, reduced, inner]`, each output row sums `reduced` rows of `inner`
/// elements into int32 accumulators (a vectorizable walk, where ``Mean`` gathers each output's elements with a
/// stride), then `CKernels` requantizes the row. The arithmetic is ``Mean``'s: wrapping int32 sums, the zero
/// point's share `zp · N` truncated to int32, the multiplier with `1 / N` folded in, no fused activation.
public struct FastMean: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let outer: Int, reduced: Int, inner: Int
    let outputZeroPoint: Int32
    let instructionSet: Int32
    /// `inner` each: the running sums, then the per-element offset, multiplier and shifts `curb_requantize_row` takes.
    let sums: UnsafeMutablePointer<Int32>
    let offsets: UnsafeMutablePointer<Int32>, multipliers: UnsafeMutablePointer<Int32>
    let leftShifts: UnsafeMutablePointer<Int32>, rightShifts: UnsafeMutablePointer<Int32>

    /// `[outer, reduced, inner]` extents when `axes` (ascending) is one contiguous run of `shape`'s dimensions.
    static func extents(shape: TensorShape, axes: [Int32]) -> (outer: Int, reduced: Int, inner: Int)? {
        guard let first = axes.first.map(Int.init), let last = axes.last.map(Int.init),
              last - first + 1 == axes.count, last < shape.rank else { return nil }
        let dimensions = (0..<shape.rank).map { shape[$0] }
        let outer = dimensions[..<first].reduce(1, *)
        let reduced = dimensions[first...last].reduce(1, *)
        let inner = dimensions[(last + 1)...].reduce(1, *)
        guard reduced >= 1, inner >= 1 else { return nil }
        return (outer, reduced, inner)
    }

    static func scratchBytes(inner: Int) -> Int { 5 * KernelContext.rounded(inner * MemoryLayout<Int32>.size) }

    init(options: MeanOptions, input: TensorView, output: TensorView,
         extents: (outer: Int, reduced: Int, inner: Int), context: KernelContext) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        (outer, reduced, inner) = extents
        outputZeroPoint = output.zeroPoint
        instructionSet = context.instructionSet
        func take() -> UnsafeMutablePointer<Int32> {
            context.take(extents.inner * MemoryLayout<Int32>.size).bindMemory(to: Int32.self, capacity: extents.inner)
        }
        sums = take(); offsets = take(); multipliers = take(); leftShifts = take(); rightShifts = take()
        let requantization = Mean.foldCount(reduced, into: options.requantization)
        // Mean subtracts zp · N in 64 bits and truncates; modulo 2^32 that is adding the truncated −zp · N.
        let offset = Int32(truncatingIfNeeded: -(Int64(input.zeroPoint) * Int64(reduced)))
        offsets.initialize(repeating: offset, count: inner)
        multipliers.initialize(repeating: requantization.multiplier, count: inner)
        leftShifts.initialize(repeating: max(requantization.shift, 0), count: inner)
        rightShifts.initialize(repeating: max(-requantization.shift, 0), count: inner)
    }

    public func run() {
        for row in 0..<outer {
            sums.update(repeating: 0, count: inner)
            var source = input + row * reduced * inner
            for _ in 0..<reduced {
                for index in 0..<inner { sums[index] &+= Int32(source[index]) }
                source += inner
            }
            curb_requantize_row(instructionSet, sums, offsets, multipliers, leftShifts, rightShifts, Int32(inner),
                                outputZeroPoint, -128, 127, output + row * inner)
        }
    }
}

extension MeanOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        guard let input = inputs[0], let extents = FastMean.extents(shape: input.shape, axes: axes) else { return 0 }
        return FastMean.scratchBytes(inner: extents.inner)
    }

    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        guard let extents = FastMean.extents(shape: inputs[0]!.shape, axes: axes) else {
            return makeKernel(kind: kind, inputs: inputs, outputs: outputs)
        }
        return FastMean(options: self, input: inputs[0]!, output: outputs[0], extents: extents, context: context)
    }
}
