#if canImport(Glibc)
import Glibc
#endif

/// A folder of kept frames (`done/`, `failed/`, `skipped/`) under a count and byte cap: when a new file
/// takes it over either cap, the oldest files go, so an SD card does not fill. A frame's `NAME.reason`
/// is counted and removed with it. The folder is listed once at start; afterwards the agent tells it
/// what it adds, so keeping the cap costs no directory listing per frame.
public final class RetainedFolder {
    private struct Entry {
        var name: String
        var bytes: Int
    }

    public let path: String
    public let retention: AgentConfig.Retention
    private var entries: [Entry] = []
    private var head = 0
    public private(set) var totalBytes = 0
    /// Files removed by the cap since start.
    public private(set) var removed = 0

    public init(path: String, retention: AgentConfig.Retention) throws(AgentError) {
        self.path = path
        self.retention = retention
        try FileSystem.makeDirectories(path)
        var found: [(name: String, bytes: Int, modified: Int64)] = []
        for name in try FileSystem.names(in: path) where !name.hasSuffix(".reason") {
            guard let status = FileSystem.linkStatus(path + "/" + name), (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let reasonBytes = FileSystem.linkStatus(path + "/" + name + ".reason").map { Int($0.st_size) } ?? 0
            found.append((name, Int(status.st_size) + reasonBytes,
                          Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)))
        }
        for item in found.sorted(by: { $0.modified != $1.modified ? $0.modified < $1.modified : $0.name < $1.name }) {
            entries.append(Entry(name: item.name, bytes: item.bytes))
            totalBytes += item.bytes
        }
        enforce()
    }

    /// Files held now.
    public var count: Int { entries.count - head }

    /// Records a file just put into the folder (`bytes` including its reason text) and applies the caps.
    public func added(name: String, bytes: Int) {
        // The same name again replaced the older file: forget that one.
        if let index = entries[head...].firstIndex(where: { $0.name == name }) {
            totalBytes -= entries[index].bytes
            entries.remove(at: index)
        }
        entries.append(Entry(name: name, bytes: bytes))
        totalBytes += bytes
        enforce()
    }

    private func enforce() {
        while count > 0, count > retention.maximumFiles || totalBytes > retention.maximumBytes {
            let oldest = entries[head]
            head += 1
            unlink(path + "/" + oldest.name)
            unlink(path + "/" + oldest.name + ".reason")
            totalBytes -= oldest.bytes
            removed += 1
        }
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
