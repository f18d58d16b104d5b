import CurbModel
import CurbPipeline
import CurbRuntime

/// A validated model ready to classify, with what records say about it: name, version and a CRC-32 of
/// the file, plus the file's identity so a reload can tell whether it changed.
public final class LoadedModel {
    public let path: String
    public let classifier: FrameClassifier
    public let name: String
    public let version: String
    /// `crc32:` and eight hex digits of the whole file.
    public let hash: String
    public let fileIdentity: FrameIdentity?
    public let threads: Int

    /// Reads, validates and prepares the model at `path`; any failure is one line naming the file.
    public init(path: String, threads: Int, config: AgentConfig) throws(AgentError) {
        let identity = FrameIdentity(path: path)
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(path, limit: ModelFileFormat.maximumFileBytes)
        } catch {
            throw AgentError(file: path, "cannot read the model: \(error.message)")
        }
        let model: Model
        do {
            model = try ModelReader.read(bytes)
        } catch {
            throw AgentError(file: path, "invalid model: \(error)")
        }
        do {
            classifier = try FrameClassifier(model: model, limits: config.decodeLimits,
                                             threads: threads > 0 ? threads : Interpreter.defaultThreads)
        } catch {
            throw AgentError(file: path, error.message)
        }
        self.path = path
        self.threads = threads
        name = model.metadata.name
        version = model.metadata.version
        hash = "crc32:" + String(decoding: RecordLine.hex(CRC32.checksum(bytes)), as: UTF8.self)
        fileIdentity = identity
    }

    /// Whether the file at `path` is no longer the one loaded (replaced, rewritten, or another path).
    public func isStale(path newPath: String, threads newThreads: Int) -> Bool {
        newPath != path || newThreads != threads || FrameIdentity(path: newPath) != fileIdentity
    }
}
