#if canImport(Glibc)
import Glibc
#endif

/// The few file operations the agent needs, through libc (the agent imports no Foundation). Failures are
/// ``AgentError``s naming the path and the system's reason.
public enum FileSystem {
    /// The system's text for the current `errno`.
    public static func errnoText() -> String { String(cString: strerror(errno)) }

    /// `stat` of `path` (following links), or nil when it does not exist or cannot be read.
    public static func status(_ path: String) -> stat? {
        var result = stat()
        return stat(path, &result) == 0 ? result : nil
    }

    /// `lstat` of `path` (not following links), or nil.
    public static func linkStatus(_ path: String) -> stat? {
        var result = stat()
        return lstat(path, &result) == 0 ? result : nil
    }

    public static func isDirectory(_ path: String) -> Bool {
        guard let status = status(path) else { return false }
        return (status.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool { linkStatus(path) != nil }

    /// Creates `path` and its missing parents (mode 0755).
    public static func makeDirectories(_ path: String) throws(AgentError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if !isDirectory(prefix), mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw AgentError(file: prefix, "cannot create the directory: \(errnoText())")
            }
            prefix += "/"
        }
    }

    /// The names in `directory` other than `.` and `..`, unsorted.
    public static func names(in directory: String) throws(AgentError) -> [String] {
        guard let stream = opendir(directory) else {
            throw AgentError(file: directory, "cannot list the directory: \(errnoText())")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A whole small file (config, state, /sys and /proc entries), or nil when it cannot be read.
    public static func readText(_ path: String, limit: Int = 1 << 20) -> String? {
        guard let bytes = try? readBytes(path, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole file of at most `limit` bytes.
    public static func readBytes(_ path: String, limit: Int) throws(AgentError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AgentError(file: path, errnoText()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AgentError(file: path, errnoText())
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw AgentError(file: path, "larger than \(limit) bytes") }
        }
        return bytes
    }

    /// Writes `text` to a temporary file beside `path`, flushes it and renames it into place, so a reader
    /// sees the old or the new content, never a mix.
    public static func writeAtomically(_ text: String, to path: String) throws(AgentError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AgentError(file: temporary, errnoText()) }
        let bytes = Array(text.utf8)
        let written = writeAll(descriptor, bytes)
        let synced = fsync(descriptor) == 0
        let message = errnoText()
        close(descriptor)
        guard written, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw AgentError(file: path, "cannot write: \(message)")
        }
    }

    /// Writes every byte (retrying short writes and EINTR); false on error (`errno` set).
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += count
        }
        return true
    }

    /// Flushes a directory's entries (after a rename or a new file) so they survive a power cut.
    public static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Moves `source` to `target` (same file system); throws with the reason.
    public static func move(_ source: String, to target: String) throws(AgentError) {
        guard rename(source, target) == 0 else { throw AgentError(file: source, "cannot move to \(target): \(errnoText())") }
    }

    /// Removes a file; a file already gone is not an error.
    public static func remove(_ path: String) throws(AgentError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw AgentError(file: path, "cannot delete: \(errnoText())") }
    }

    /// The value of an environment variable.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
