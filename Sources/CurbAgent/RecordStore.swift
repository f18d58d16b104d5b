#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// The durable, append-only store of records in `STATE/records/`: segment files `seg-00000001.ndjson`, …,
/// one sealed line per record (``RecordLine``). At open, every segment is read once, damaged lines are
/// counted and skipped, and a torn tail of the newest segment (a crash mid-write) is cut off, so the
/// store ends on a whole record. Appends go to the newest segment; beyond ``segmentBytes`` a new one
/// starts; beyond ``maximumBytes`` the oldest segments are dropped and what they held is counted.
/// Writes are flushed to the card as the ``AgentConfig/FsyncPolicy`` says.
public final class RecordStore {
    public struct OpenReport: Sendable {
        /// Whole records read.
        public var records = 0
        /// Bytes cut off the newest segment's torn tail.
        public var repairedBytes = 0
        /// Damaged lines skipped (not at the tail).
        public var damagedLines = 0
    }

    private struct Segment {
        var number: Int
        var bytes: Int
        var records: Int
    }

    public let directory: String
    public let segmentBytes: Int
    public let maximumBytes: Int
    public let fsync: AgentConfig.FsyncPolicy
    public let fsyncIntervalNanoseconds: UInt64
    private var segments: [Segment] = []
    private var descriptor: Int32 = -1
    private var lastSync: UInt64 = 0
    private var unsynced = false
    /// Records dropped by the size cap since open.
    public private(set) var droppedRecords = 0

    /// Opens (creating) the store and reads every stored record once, handing each to `visit`.
    public init(directory: String, segmentBytes: Int = 4 << 20, maximumBytes: Int = 256 << 20,
                fsync: AgentConfig.FsyncPolicy = .always, fsyncIntervalMilliseconds: Int = 1000,
                visit: (JSON) -> Void) throws(AgentError) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.maximumBytes = maximumBytes
        self.fsync = fsync
        fsyncIntervalNanoseconds = UInt64(fsyncIntervalMilliseconds) * 1_000_000
        try FileSystem.makeDirectories(directory)
        let numbers = try Self.segmentNumbers(in: directory)
        var report = OpenReport()
        for (position, number) in numbers.enumerated() {
            let path = Self.path(directory, number)
            let isNewest = position == numbers.count - 1
            let scan = try Self.scan(path: path, visit: visit)
            report.records += scan.records
            report.damagedLines += scan.damaged + (isNewest ? 0 : scan.tailDamaged)
            var bytes = scan.fileBytes
            if isNewest, scan.goodEnd < scan.fileBytes {
                // A torn tail: everything after the last whole record goes.
                guard truncate(path, off_t(scan.goodEnd)) == 0 else {
                    throw AgentError(file: path, "cannot repair the torn tail: \(FileSystem.errnoText())")
                }
                report.repairedBytes = scan.fileBytes - scan.goodEnd
                bytes = scan.goodEnd
            }
            segments.append(Segment(number: number, bytes: bytes, records: scan.records))
        }
        openReport = report
        try openNewest()
    }

    /// What open found.
    public private(set) var openReport = OpenReport()

    deinit {
        if descriptor >= 0 {
            if unsynced { fdatasync(descriptor) }
            close(descriptor)
        }
    }

    /// The stored bytes over every segment.
    public var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    /// Appends one record. On failure (a full card) nothing of it stays in the store.
    public func append(_ record: JSON, now: UInt64) throws(AgentError) {
        let line = RecordLine.seal(record)
        if segments[segments.count - 1].bytes > 0, segments[segments.count - 1].bytes + line.count > segmentBytes {
            try rotate()
        }
        let start = segments[segments.count - 1].bytes
        guard FileSystem.writeAll(descriptor, line) else {
            let message = FileSystem.errnoText()
            // Cut a partial line off, so the next append starts on a record boundary.
            _ = ftruncate(descriptor, off_t(start))
            throw AgentError(file: currentPath, "cannot store a record: \(message)")
        }
        segments[segments.count - 1].bytes += line.count
        segments[segments.count - 1].records += 1
        unsynced = true
        dropOldestBeyondCap()
        switch fsync {
        case .always: try sync(now: now)
        case .interval: if now &- lastSync >= fsyncIntervalNanoseconds { try sync(now: now) }
        case .never: break
        }
    }

    /// Flushes pending appends when the interval policy's time has come (call from the idle loop).
    public func syncIfDue(now: UInt64) {
        if unsynced, fsync == .interval, now &- lastSync >= fsyncIntervalNanoseconds { try? sync(now: now) }
    }

    /// Flushes pending appends now.
    public func sync(now: UInt64) throws(AgentError) {
        guard unsynced else { return }
        guard fdatasync(descriptor) == 0 else { throw AgentError(file: currentPath, "cannot flush: \(FileSystem.errnoText())") }
        unsynced = false
        lastSync = now
    }

    private var currentPath: String { Self.path(directory, segments[segments.count - 1].number) }

    private func openNewest() throws(AgentError) {
        if segments.isEmpty { segments.append(Segment(number: 1, bytes: 0, records: 0)) }
        let path = currentPath
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AgentError(file: path, "cannot open the record store: \(FileSystem.errnoText())") }
        FileSystem.syncDirectory(directory)
    }

    private func rotate() throws(AgentError) {
        fdatasync(descriptor)
        close(descriptor)
        descriptor = -1
        unsynced = false
        segments.append(Segment(number: segments[segments.count - 1].number + 1, bytes: 0, records: 0))
        try openNewest()
    }

    /// Drops whole segments, oldest first, while the store is over its cap (never the one being written).
    private func dropOldestBeyondCap() {
        while segments.count > 1, totalBytes > maximumBytes {
            let oldest = segments.removeFirst()
            // Already gone: the uploader deleted it once the collector acknowledged all of it (not a loss).
            if unlink(Self.path(directory, oldest.number)) == 0 { droppedRecords += oldest.records }
        }
    }

    // MARK: Reading

    static func path(_ directory: String, _ number: Int) -> String {
        let digits = String(number)
        return directory + "/seg-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".ndjson"
    }

    static func segmentNumbers(in directory: String) throws(AgentError) -> [Int] {
        try FileSystem.names(in: directory).compactMap { name -> Int? in
            guard name.hasPrefix("seg-"), name.hasSuffix(".ndjson") else { return nil }
            return Int(name.dropFirst(4).dropLast(7))
        }.sorted()
    }

    private struct Scan {
        var records = 0
        var damaged = 0
        var goodEnd = 0
        var fileBytes = 0
        /// Damaged lines after the last whole record (a torn tail when in the newest segment).
        var tailDamaged = 0
    }

    private static func scan(path: String, visit: (JSON) -> Void) throws(AgentError) -> Scan {
        let bytes = try FileSystem.readBytes(path, limit: 1 << 40)
        var scan = Scan(fileBytes: bytes.count)
        var lineStart = 0
        var damagedSinceGood = 0
        for index in bytes.indices where bytes[index] == 10 {
            if let record = RecordLine.open(bytes[lineStart..<index]) {
                visit(record)
                scan.records += 1
                scan.damaged += damagedSinceGood
                damagedSinceGood = 0
                scan.goodEnd = index + 1
            } else {
                damagedSinceGood += 1
            }
            lineStart = index + 1
        }
        scan.tailDamaged = damagedSinceGood
        return scan
    }

    /// Every stored record in order, read-only (for `curbside reports` and `status`; a torn tail is left
    /// for the agent to repair).
    public static func readAll(directory: String, visit: (JSON) -> Void) throws(AgentError) {
        guard FileSystem.isDirectory(directory) else { throw AgentError(file: directory, "no record store here") }
        for number in try segmentNumbers(in: directory) {
            _ = try scan(path: path(directory, number), visit: visit)
        }
    }
}
