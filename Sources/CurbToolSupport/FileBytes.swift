#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and atomic writes through libc (the `curbside` binary stays free of Foundation).
public enum FileBytes {
    /// Reads a regular file of at most `limit` bytes; the size is checked before allocating.
    public static func read(_ path: String, limit: Int) throws(CommandFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CommandFailure(file: path, Self.errorText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CommandFailure(file: path, Self.errorText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw CommandFailure(file: path, "is not a regular file") }
        let size = Int(status.st_size)
        guard size <= limit else { throw CommandFailure(file: path, "is \(size) bytes; the limit is \(limit)") }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + done, size - done) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandFailure(file: path, Self.errorText())
            }
            if count == 0 { break }
            done += count
        }
        guard done == size else { throw CommandFailure(file: path, "changed size while being read") }
        return bytes
    }

    /// Writes `bytes` to a temporary file beside `path`, then renames it into place.
    public static func write(_ bytes: [UInt8], to path: String) throws(CommandFailure) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CommandFailure(file: path, Self.errorText()) }
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                let message = Self.errorText()
                close(descriptor)
                unlink(temporary)
                throw CommandFailure(file: path, message)
            }
            done += count
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let message = Self.errorText()
            unlink(temporary)
            throw CommandFailure(file: path, message)
        }
    }

    public static func errorText() -> String { String(cString: strerror(errno)) }
}
