import CurbRuntime

/// The `--kernels` values `bench` and `inspect` take.
extension KernelSelection {
    static let optionHelp = "Kernels: automatic (the fast kernels with this CPU's best instruction set), portable, avx2, avx2-vnni, avx512-vnni, reference."
    static let optionError = "--kernels must be automatic, portable, avx2, avx2-vnni, avx512-vnni or reference"

    init?(optionName name: String) {
        switch name {
        case "automatic": self = .automatic
        case "portable": self = .portable
        case "avx2": self = .avx2
        case "avx2-vnni": self = .avx2VNNI
        case "avx512-vnni": self = .avx512VNNI
        case "reference": self = .reference
        default: return nil
        }
    }
}
