import CFuzzDriver
import CurbModel
import CurbRuntime
import Glibc

// Every input must be refused with a ModelError or read as a model that re-validates; anything else
// (a trap, a sanitizer report, a hang, a large allocation) is a finding. The checksum is skipped so the
// fuzzer's mutations reach the parsers instead of dying at the CRC.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let model = try? ModelReader.read(bytes, verifyChecksum: false) {
        do {
            try ModelValidator.validate(model)
            _ = try ModelWriter.write(model)
            // A valid model must also prepare and run (small ones only, to keep executions fast).
            if model.plan.size <= 1 << 20, model.operators.reduce(0, { $0 + OperatorCost.multiplyAccumulates(of: $1, tensors: model.tensors) }) <= 1 << 22 {
                try Interpreter(model: model).invoke()
            }
        } catch {
            fatalError("a model the reader accepted fails re-validation: \(error)")
        }
    }
    return 0
})
