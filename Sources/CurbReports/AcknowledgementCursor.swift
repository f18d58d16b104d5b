#if canImport(Glibc)
import Glibc
#endif
import CurbAgent
import CurbModel

/// The durable acknowledgement cursor, `STATE/upload-cursor`: one line `segment offset crc32\n`. It is
/// written to a temporary file, fsynced, renamed over the old one and the directory fsynced, so after any
/// crash the file holds either the old or the new position, never a mix. A record is acknowledged (and may
/// leave the spool) only once this file says so; a crash between the collector's answer and the write
/// re-sends that batch with the same `Idempotency-Key`, and the collector's dedup keeps it once.
public enum AcknowledgementCursor {
    /// The cursor file in `stateDirectory`.
    public static func path(stateDirectory: String) -> String { stateDirectory + "/upload-cursor" }

    /// The stored position, or ``SpoolPosition/start`` when there is none or it is damaged.
    public static func load(stateDirectory: String) -> SpoolPosition {
        let path = path(stateDirectory: stateDirectory)
        guard FileSystem.exists(path), let bytes = try? FileSystem.readBytes(path, limit: 4096) else { return .start }
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, let segment = Int(fields[0]), let offset = Int(fields[1]),
              let stored = UInt32(fields[2], radix: 16) else { return .start }
        let body = Array("\(segment) \(offset)".utf8)
        guard body.withUnsafeBytes({ CRC32.checksum($0) }) == stored else { return .start }
        return SpoolPosition(segment: segment, offset: offset)
    }

    /// Stores `position` atomically and durably.
    public static func store(_ position: SpoolPosition, stateDirectory: String) throws(AgentError) {
        let path = path(stateDirectory: stateDirectory)
        let temporary = path + ".tmp"
        let body = "\(position.segment) \(position.offset)"
        let crc = Array(body.utf8).withUnsafeBytes { CRC32.checksum($0) }
        let line = Array((body + " " + String(crc, radix: 16) + "\n").utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AgentError(file: temporary, "cannot write the upload cursor: \(FileSystem.errnoText())") }
        let written = FileSystem.writeAll(descriptor, line)
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, synced, rename(temporary, path) == 0 else {
            let message = FileSystem.errnoText()
            unlink(temporary)
            throw AgentError(file: path, "cannot store the upload cursor: \(message)")
        }
        FileSystem.syncDirectory(stateDirectory)
    }
}
