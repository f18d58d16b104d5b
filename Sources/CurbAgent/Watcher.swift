#if canImport(Glibc)
import Glibc
#endif

/// Watches frame directories with inotify. A file renamed in (IN_MOVED_TO) is ready at once; a file
/// written in place (IN_CLOSE_WRITE) is ready once no write has touched it for the settle time, so a
/// file written in several opens is read once, whole. Sub-directories, dot-files and partial names
/// (`*.part`, `*.tmp`) are ignored. A directory that is deleted or moved away is re-attached when it
/// comes back (``attachMissing()``, called about once a second while one is missing).
public final class Watcher {
    /// A file in one of the watched directories.
    public struct Frame: Hashable, Sendable {
        public var directoryIndex: Int
        public var name: String
        public init(directoryIndex: Int, name: String) {
            self.directoryIndex = directoryIndex
            self.name = name
        }
    }

    /// What reading the events found, besides ready frames.
    public enum Change {
        /// The directory went away (deleted, moved, unmounted).
        case lost(Int)
        /// Events were lost (the kernel's queue overflowed): list the directory again.
        case rescan(Int)
    }

    public let directories: [String]
    public let settleNanoseconds: UInt64
    /// The inotify descriptor (non-blocking) to poll.
    public let descriptor: Int32
    private var watchDirectory: [Int32: Int] = [:]
    private var directoryWatch: [Int32?]
    private var settling: [Frame: UInt64] = [:]
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 8)

    private static let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_MODIFY) | UInt32(IN_DELETE)
        | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    public init(directories: [String], settleMilliseconds: Int) throws(AgentError) {
        self.directories = directories
        settleNanoseconds = UInt64(settleMilliseconds) * 1_000_000
        descriptor = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard descriptor >= 0 else { throw AgentError("cannot start inotify: \(FileSystem.errnoText())") }
        directoryWatch = Array(repeating: nil, count: directories.count)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Whether `name` can be a frame: not a dot-file and not a partial (`*.part`, `*.tmp`) name.
    public static func isCandidate(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.hasSuffix(".part") && !name.hasSuffix(".tmp")
    }

    /// Whether some directory is not being watched (missing, or not yet attached).
    public var hasMissing: Bool { directoryWatch.contains { $0 == nil } }

    /// Whether `index`'s directory is being watched.
    public func isAttached(_ index: Int) -> Bool { directoryWatch[index] != nil }

    /// Starts watching every directory that exists and is not yet watched; returns their indices (list
    /// them next: what is there is their backlog).
    public func attachMissing() -> [Int] {
        var attached: [Int] = []
        for index in directories.indices where directoryWatch[index] == nil {
            let watch = inotify_add_watch(descriptor, directories[index], Self.mask)
            guard watch >= 0 else { continue }
            directoryWatch[index] = watch
            watchDirectory[watch] = index
            attached.append(index)
        }
        return attached
    }

    /// The frame files in directory `index`, in name order, split into those ready now and those written
    /// too recently (these are held until they settle).
    public func scan(_ index: Int, now: UInt64) -> [String] {
        guard let names = try? FileSystem.names(in: directories[index]) else { return [] }
        var ready: [String] = []
        let wallNow = SystemInfo.wallClockNanoseconds()
        for name in names.sorted() where Self.isCandidate(name) {
            guard let status = FileSystem.linkStatus(directories[index] + "/" + name),
                  (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
            if wallNow - modified < Int64(settleNanoseconds) {
                settling[Frame(directoryIndex: index, name: name)] = now
            } else {
                ready.append(name)
            }
        }
        return ready
    }

    /// Reads every pending event without blocking. Renamed-in files go to `ready` at once; written files
    /// start (or restart) their settle time.
    public func readEvents(now: UInt64, ready: (Frame) -> Void, change: (Change) -> Void) {
        let header = MemoryLayout<inotify_event>.size
        while true {
            let count = read(descriptor, buffer, 64 * 1024)
            if count < 0 {
                if errno == EINTR { continue }
                return  // EAGAIN: nothing more
            }
            if count == 0 { return }
            var offset = 0
            while offset < count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let name = event.len > 0
                    ? String(cString: (buffer + offset + header).assumingMemoryBound(to: CChar.self)) : ""
                offset += header + Int(event.len)
                handle(event, name: name, now: now, ready: ready, change: change)
            }
        }
    }

    private func handle(_ event: inotify_event, name: String, now: UInt64, ready: (Frame) -> Void,
                        change: (Change) -> Void) {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            for index in directories.indices where directoryWatch[index] != nil { change(.rescan(index)) }
            return
        }
        guard let index = watchDirectory[event.wd] else { return }
        if mask & (UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED) | UInt32(IN_UNMOUNT)) != 0 {
            detach(index)
            change(.lost(index))
            return
        }
        guard mask & UInt32(IN_ISDIR) == 0, Self.isCandidate(name) else { return }
        let frame = Frame(directoryIndex: index, name: name)
        if mask & UInt32(IN_MOVED_TO) != 0 {
            settling[frame] = nil
            ready(frame)
        } else if mask & UInt32(IN_CLOSE_WRITE) != 0 {
            settling[frame] = now
        } else if mask & UInt32(IN_MODIFY) != 0 {
            // A write after a close: the file is still being written, wait again.
            if settling[frame] != nil { settling[frame] = now }
        } else if mask & (UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM)) != 0 {
            settling[frame] = nil
        }
    }

    private func detach(_ index: Int) {
        guard let watch = directoryWatch[index] else { return }
        inotify_rm_watch(descriptor, watch)  // fails harmlessly when the kernel already removed it
        watchDirectory[watch] = nil
        directoryWatch[index] = nil
        settling = settling.filter { $0.key.directoryIndex != index }
    }

    /// Hands over the written files whose settle time has passed, in name order.
    public func takeSettled(now: UInt64, ready: (Frame) -> Void) {
        guard !settling.isEmpty else { return }
        let due = settling.filter { now &- $0.value >= settleNanoseconds }.keys
            .sorted { $0.directoryIndex != $1.directoryIndex ? $0.directoryIndex < $1.directoryIndex : $0.name < $1.name }
        for frame in due {
            settling[frame] = nil
            ready(frame)
        }
    }

    /// Files still settling.
    public var settlingCount: Int { settling.count }

    /// When the next settling file becomes ready (monotonic nanoseconds), or nil.
    public var nextSettleDeadline: UInt64? {
        settling.values.min().map { $0 &+ settleNanoseconds }
    }
}
