#if canImport(Glibc)
import Glibc
#endif

/// Reads whole files into one reused buffer, refusing oversized files before reading (frames arrive all
/// day: the steady path must not allocate per frame).
public final class FrameReader {
    /// Files larger than this are refused.
    public var maximumBytes: Int
    private var buffer: UnsafeMutableRawBufferPointer

    public init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
        buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    deinit { buffer.deallocate() }

    /// The bytes of the file at `path`, valid until the next call.
    public func read(_ path: String) throws(FrameReadError) -> UnsafeRawBufferPointer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FrameReadError(path: path, cause: Self.errnoText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FrameReadError(path: path, cause: Self.errnoText()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FrameReadError(path: path, cause: "not a regular file") }
        let size = Int(status.st_size)
        guard size <= maximumBytes else {
            throw FrameReadError(path: path, cause: "file of \(size) bytes exceeds the \(maximumBytes)-byte limit")
        }
        if buffer.count < size {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(size, 4096), alignment: 64)
        }
        var done = 0
        while done < size {
            let count = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw FrameReadError(path: path, cause: Self.errnoText())
            }
            if count == 0 { break }  // the file shrank while being read: use what is there
            done += count
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<done])
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// A frame file that could not be read (missing, unreadable, not a regular file, too large).
public struct FrameReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var cause: String
    public var description: String { "\(path): \(cause)" }
}
