import CKernels

/// Which kernels an interpreter runs. The fast kernels compute the reference's bits exactly; forcing an
/// instruction set is for tests and measurements.
public enum KernelSelection: Sendable, Equatable {
    /// The plain Swift reference kernels only (the definition), on the calling thread.
    case reference
    /// The fast kernels with the best instruction set this CPU has (AVX2, NEON, else portable C).
    case automatic
    /// The fast kernels' portable C versions.
    case portable
    /// The fast kernels' AVX2 versions (x86-64 CPUs with AVX2 only).
    case avx2
    /// The AVX2 kernels with the AVX-VNNI GEMM (`vpdpbusd`; x86-64 CPUs with AVX-VNNI only).
    case avx2VNNI
    /// The AVX2 kernels with the AVX-512 VNNI GEMM (512-bit `vpdpbusd`; x86-64 CPUs with AVX-512 VNNI only).
    case avx512VNNI

    /// The `CKernels` instruction-set code, nil for the reference or when this CPU cannot run the selection.
    public var instructionSet: Int32? {
        switch self {
        case .reference: nil
        case .automatic: curb_best_isa()
        case .portable: Int32(CURB_ISA_PORTABLE)
        case .avx2: curb_isa_available(Int32(CURB_ISA_AVX2)) != 0 ? Int32(CURB_ISA_AVX2) : nil
        case .avx2VNNI: curb_isa_available(Int32(CURB_ISA_AVX2_VNNI)) != 0 ? Int32(CURB_ISA_AVX2_VNNI) : nil
        case .avx512VNNI: curb_isa_available(Int32(CURB_ISA_AVX512_VNNI)) != 0 ? Int32(CURB_ISA_AVX512_VNNI) : nil
        }
    }

    /// True when this CPU can run the selection.
    public var isAvailable: Bool { self == .reference || instructionSet != nil }

    /// The selection's name for reports (`automatic` names the instruction set it picked).
    public var name: String {
        switch self {
        case .reference: "reference"
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx2VNNI: "avx2-vnni"
        case .avx512VNNI: "avx512-vnni"
        case .automatic:
            switch curb_best_isa() {
            case Int32(CURB_ISA_AVX2): "avx2"
            case Int32(CURB_ISA_AVX2_VNNI): "avx2-vnni"
            case Int32(CURB_ISA_AVX512_VNNI): "avx512-vnni"
            case Int32(CURB_ISA_NEON), Int32(CURB_ISA_NEON_DOT): "neon"
            default: "portable"
            }
        }
    }
}
