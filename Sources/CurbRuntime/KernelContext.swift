import CKernels
import CurbModel

/// What a fast kernel gets at prepare: the thread pool, the instruction set, and its slice of the arena's
/// scratch region (packed weights, per-channel values, per-thread buffers), handed out in 64-byte-aligned
/// pieces in operator order.
public final class KernelContext {
    public let pool: ThreadPool
    /// A `CKernels` instruction-set code (`CURB_ISA_*`).
    public let instructionSet: Int32
    private var cursor: UnsafeMutableRawPointer
    private let end: UnsafeMutableRawPointer

    /// Alignment of every scratch piece (the widest vector load, and a cache line).
    public static let alignment = 64

    public init(pool: ThreadPool, instructionSet: Int32, scratch: UnsafeMutableRawBufferPointer) {
        self.pool = pool
        self.instructionSet = instructionSet
        let base = scratch.baseAddress ?? UnsafeMutableRawPointer(bitPattern: Self.alignment)!
        precondition(Int(bitPattern: base) % Self.alignment == 0, "scratch must be 64-byte aligned")
        cursor = base
        end = base + scratch.count
    }

    /// `bytes` rounded up to the scratch alignment: what ``take(_:)`` consumes.
    public static func rounded(_ bytes: Int) -> Int { (bytes + alignment - 1) / alignment * alignment }

    /// The next `bytes` of scratch. The sizes were summed at load by the same rules, so running out is a bug.
    public func take(_ bytes: Int) -> UnsafeMutableRawPointer {
        let size = Self.rounded(bytes)
        precondition(end - cursor >= size, "kernel scratch overrun: the sizing and the kernels disagree")
        let piece = cursor
        cursor += size
        return piece
    }

    /// Scratch bytes not handed out yet.
    public var remainingBytes: Int { end - cursor }
}

/// Options whose operator has a fast kernel: how much scratch it needs and how to prepare it.
public protocol FastKernelMaking: KernelMaking {
    /// Scratch bytes (a multiple of ``KernelContext/alignment``) the fast kernel takes for these tensors with
    /// instruction set `instructionSet` (a `CURB_ISA_*` code: packed layouts differ), or 0 when the reference
    /// kernel will run.
    func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int
    /// The fast kernel, or the reference one when the fast kernels do not cover these options.
    func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel
}
