import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// Shared by the fast-kernel exactness tests: the instruction sets to check, random quantization, and a
/// scratch region with its kernel context.
enum FastKernelSupport {
    /// Every fast path this CPU can run. The portable path always; AVX2 where the CPU has it (the CI and
    /// board machines do; a note is printed where it is missing so a skipped path is visible).
    static let selections: [KernelSelection] = {
        var list: [KernelSelection] = [.portable]
        if KernelSelection.avx2.isAvailable {
            list.append(.avx2)
        } else {
            print("note: this CPU has no AVX2; the AVX2 kernels are not tested here")
        }
        if KernelSelection.avx2VNNI.isAvailable {
            list.append(.avx2VNNI)
        } else {
            print("note: this CPU has no AVX-VNNI; the VNNI GEMM is not tested here")
        }
        if KernelSelection.avx512VNNI.isAvailable {
            list.append(.avx512VNNI)
        } else {
            print("note: this CPU has no AVX-512 VNNI; the 512-bit VNNI GEMM is not tested here")
        }
        return list
    }()

    static let threadCounts = [1, 2, 3]
    static let oddChannelCounts = [1, 3, 5, 7, 13, 17, 33]

    /// A per-channel requantization: mostly realistic (M in [0.5, 1)·2^-k), sometimes extreme (shift 30 or −31,
    /// multiplier 0, 1 or INT32_MAX), so saturation, wrapping and every rounding case get exercised.
    static func requantization(_ generator: inout SeededGenerator, rightShiftsOnly: Bool) -> Requantization {
        var requantization = requantization(&generator)
        if rightShiftsOnly { requantization.shift = -abs(requantization.shift) }
        return requantization
    }

    static func requantization(_ generator: inout SeededGenerator) -> Requantization {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return Requantization(multiplier: Int32.max, shift: Int32.random(in: -31...30, using: &generator))
        case 1: return Requantization(multiplier: [0, 1, Int32.max][Int.random(in: 0..<3, using: &generator)],
                                      shift: [30, -31, 0][Int.random(in: 0..<3, using: &generator)])
        case 2: return Requantization(multiplier: Int32.random(in: 0...Int32.max, using: &generator),
                                      shift: Int32.random(in: Requantization.shiftRange, using: &generator))
        default: return Requantization(multiplier: Int32.random(in: (1 << 30)...Int32.max, using: &generator),
                                       shift: Int32.random(in: -14 ... 1, using: &generator))
        }
    }

    /// A trained layer's values: multipliers in [0.5, 1)·2^31 with right shifts 0…31 by channel in turn, and small
    /// biases (`realisticBiases`). Under them the AVX-512 kernels take the one-rounding requantization.
    static func realisticRequantization(channel: Int, _ generator: inout SeededGenerator) -> Requantization {
        Requantization(multiplier: Int32.random(in: (1 << 30)...Int32.max, using: &generator), shift: -Int32(channel % 32))
    }

    static func realisticBiases(_ count: Int, _ generator: inout SeededGenerator) -> [Int32] {
        (0..<count).map { _ in Int32.random(in: -50_000...50_000, using: &generator) }
    }

    static func activation(_ generator: inout SeededGenerator) -> ActivationRange {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return ActivationRange(minimum: 0, maximum: 127)
        case 1:
            let low = Int32.random(in: -128...127, using: &generator)
            return ActivationRange(minimum: low, maximum: Int32.random(in: low...127, using: &generator))
        default: return .int8
        }
    }

    /// Biases: usually small, sometimes near the int32 limits (the accumulator must wrap as the reference's).
    static func biases(_ count: Int, _ generator: inout SeededGenerator) -> [Int32] {
        (0..<count).map { _ in
            Int.random(in: 0..<8, using: &generator) == 0
                ? Int32.random(in: Int32.min...Int32.max, using: &generator)
                : Int32.random(in: -50_000...50_000, using: &generator)
        }
    }

    /// A scratch region and kernel context for one fast kernel.
    final class Scratch {
        let memory: UnsafeMutableRawBufferPointer
        let context: KernelContext

        init(bytes: Int, selection: KernelSelection, threads: Int) {
            memory = .allocate(byteCount: max(bytes, 64), alignment: 64)
            memory.initializeMemory(as: UInt8.self, repeating: 0xA5)   // kernels must not rely on zeroed scratch
            context = KernelContext(pool: ThreadPool(threads: threads), instructionSet: selection.instructionSet!,
                                    scratch: UnsafeMutableRawBufferPointer(rebasing: memory[0..<bytes]))
        }

        deinit { memory.deallocate() }
    }
}
