import CurbToolSupport
import CurbModel
import CurbRuntime

/// Reads and validates a model file for a command, turning every failure into a one-line ``CommandFailure``.
enum ModelLoading {
    static func read(_ path: String, verifyChecksum: Bool = true) throws(CommandFailure) -> (model: Model, fileBytes: Int) {
        do {
            let model = try ModelReader.read(path: path, verifyChecksum: verifyChecksum)
            return (model, model.constants.storage.count)
        } catch {
            throw CommandFailure(file: path, "invalid model: \(error)")
        }
    }

    static func interpreter(for model: Model, path: String, threads: Int = Interpreter.defaultThreads,
                            kernels: KernelSelection = .automatic) throws(CommandFailure) -> Interpreter {
        do {
            return try Interpreter(model: model, threads: threads, kernels: kernels)
        } catch {
            throw CommandFailure(file: path, "cannot run model: \(error)")
        }
    }
}
