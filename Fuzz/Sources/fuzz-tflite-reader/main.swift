// Fuzzes the TFLite reader, the importer and the associated-file (ZIP) reader: any input must be refused
// with a TFLiteError or TFLiteImportError, or read and imported into a model that validates; a trap,
// sanitizer report, leak or hang is a bug.
import CFuzzDriver
import CurbTFLite
#if canImport(Glibc)
import Glibc
#endif

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let model = try? TFLiteReader.read(bytes) {
        // importModel validates what it returns (ModelValidator), so an accepted import is a valid model.
        _ = try? TFLiteImporter.importModel(model, fileBytes: bytes)
    }
    _ = try? TFLiteAssociatedFiles.labels(from: bytes)
    return 0
})
