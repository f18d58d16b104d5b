// Fuzzes the TFLite reader and the associated-file (ZIP) reader: any input must be refused with a
// TFLiteError or read; a trap, sanitizer report, leak or hang is a bug.
import CFuzzDriver
import CurbTFLite
#if canImport(Glibc)
import Glibc
#endif

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = try? TFLiteReader.read(bytes)
    _ = try? TFLiteAssociatedFiles.labels(from: bytes)
    return 0
})
