#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// Which file a record was made from: its path, inode, size and modification time. A frame whose
/// identity is among the stored records is done; a file rewritten under the same name is a new frame.
public struct FrameIdentity: Hashable, Sendable {
    public var path: String
    public var inode: UInt64
    public var size: Int64
    public var modifiedNanoseconds: Int64

    public init(path: String, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.path = path
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    /// The identity of the file at `path` now (not following a final symbolic link), or nil if it is gone.
    public init?(path: String) {
        guard let status = FileSystem.linkStatus(path) else { return nil }
        self.init(path: path, status: status)
    }

    public init(path: String, status: stat) {
        self.path = path
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedNanoseconds = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    }

    /// The identity a stored `frame` record names, or nil for other records.
    public init?(record: JSON) {
        guard record["kind"]?.stringValue == "frame", let directory = record["dir"]?.stringValue,
              let file = record["file"]?.stringValue, let inode = record["inode"]?.intValue,
              let size = record["size"]?.intValue, let modified = record["mtime_ns"]?.intValue else { return nil }
        self.init(path: directory + "/" + file, inode: UInt64(inode), size: Int64(size), modifiedNanoseconds: Int64(modified))
    }
}
