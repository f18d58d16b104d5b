import CurbImage
import CurbPipeline
#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// The edge agent: classifies every frame that lands in the watched directories and stores one record per
/// frame, for months, on one thread (inference uses the interpreter's own pool).
///
/// One loop: wait in `poll` for inotify, a signal or the next deadline (a settling file, a periodic
/// record, the watchdog, a missing directory's retry); take in events; classify one frame; repeat. Signals
/// are read only between frames, so SIGTERM always finishes the frame in hand. The backlog found at start
/// goes first and is never skipped; live frames wait in a bounded ``FrameQueue``.
///
/// Exactly once: a frame record names the file's identity (path, inode, size, mtime) and is stored before
/// the file is moved or deleted. At start the identities of stored records whose files are still present
/// form the done set, so a restart (even after `kill -9`) neither repeats nor loses a frame: a present file
/// whose record exists is only moved or deleted, as the policy says.
public final class Agent {
    /// How the command runs the agent.
    public struct Options {
        public var config: AgentConfig
        /// Process what is there and return (no watching).
        public var once = false
        /// Called with each stored record's line (without newline), after it is stored.
        public var printRecord: ((String) -> Void)?
        /// Reads the configuration again for SIGHUP (nil: only the model file is checked).
        public var reload: (() throws(AgentError) -> AgentConfig)?
        /// Called after each record is stored (the uploader wakes on it).
        public var recordStored: (() -> Void)?
        /// Extra members for each health record (the uploader's status and alerts).
        public var healthMembers: (() -> [(String, JSON)])?

        public init(config: AgentConfig, once: Bool = false, printRecord: ((String) -> Void)? = nil,
                    reload: (() throws(AgentError) -> AgentConfig)? = nil) {
            self.config = config
            self.once = once
            self.printRecord = printRecord
            self.reload = reload
        }
    }

    private var options: Options
    private var config: AgentConfig
    private let stateDirectory: String
    private var model: LoadedModel
    private var store: RecordStore!
    private var done: Set<FrameIdentity> = []
    private let watcher: Watcher
    private var queue: FrameQueue<Watcher.Frame>
    private var queued: Set<Watcher.Frame> = []
    private var folders: [String: RetainedFolder] = [:]
    private let signals: SignalPipe
    private let notifier = SystemdNotifier()
    private var lockDescriptor: Int32 = -1

    public let runIdentifier = SystemInfo.randomRunIdentifier()
    public let device: String
    private var sequence = 0
    public private(set) var counters = AgentCounters()
    private let startMonotonic = MonotonicClock.nanoseconds()
    private let startWall = SystemInfo.wallClockNanoseconds()
    private var countsPeriodStart = SystemInfo.wallClockNanoseconds()
    private var nextReport: UInt64 = 0
    private var nextWatchdog: UInt64 = 0
    private var nextAttach: UInt64 = 0
    private var pausedUntil: UInt64 = 0
    private var nextFrameAllowed: UInt64 = 0
    private var clockSynced = false
    private var clockCheckedAt: UInt64 = 0
    private var stopping = false

    /// Loads the model, opens the store (repairing a torn tail), and lists the backlog. Fails (exit 2 in
    /// the command) for a bad model, an unusable state directory or a second agent on the same state.
    public init(options: Options) throws(AgentError) {
        self.options = options
        config = try options.config.validated()
        stateDirectory = config.stateDirectory!
        device = config.device.isEmpty ? SystemInfo.hostName() : config.device
        try FileSystem.makeDirectories(stateDirectory)
        lockDescriptor = open(stateDirectory + "/agent.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else { throw AgentError(file: stateDirectory, "cannot create agent.lock: \(FileSystem.errnoText())") }
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(lockDescriptor)
            throw AgentError(file: stateDirectory, "another agent is running on this state directory")
        }
        model = try LoadedModel(path: config.model!, threads: config.threads, config: config)
        signals = try SignalPipe()
        watcher = try Watcher(directories: config.directories, settleMilliseconds: config.settleMilliseconds)
        queue = FrameQueue(capacity: config.queueCapacity)

        // The backlog: what is in each directory now, in name order.
        let now = MonotonicClock.nanoseconds()
        var present: Set<String> = []
        let attached = options.once ? config.directories.indices.filter { FileSystem.isDirectory(config.directories[$0]) }
                                    : watcher.attachMissing()
        for index in attached {
            for name in watcher.scan(index, now: now) {
                enqueue(Watcher.Frame(directoryIndex: index, name: name), backlog: true)
                present.insert(config.directories[index] + "/" + name)
            }
        }
        for (index, directory) in config.directories.enumerated() where !attached.contains(index) {
            AgentLog.warning("\(directory): not there yet; waiting for it")
        }
        // Stored records of files still present are the done set; records of files long gone are not kept
        // in memory.
        var remembered: Set<FrameIdentity> = []
        store = try RecordStore(directory: stateDirectory + "/records", segmentBytes: config.segmentBytes,
                                maximumBytes: config.storeMaximumBytes, fsync: config.fsync,
                                fsyncIntervalMilliseconds: config.fsyncIntervalMilliseconds) { record in
            if let identity = FrameIdentity(record: record), present.contains(identity.path) { remembered.insert(identity) }
        }
        done = remembered
        let report = store.openReport
        if report.repairedBytes > 0 { AgentLog.warning("record store: cut a torn tail of \(report.repairedBytes) bytes") }
        if report.damagedLines > 0 { AgentLog.warning("record store: skipped \(report.damagedLines) damaged lines") }
        AgentLog.info("run \(runIdentifier): model \(model.name) \(model.version) (\(model.hash)), \(report.records) stored records, "
            + "backlog \(queue.backlogCount) frames")
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// Runs until SIGTERM/SIGINT (or, with `once`, until the backlog is done). Returns the exit status:
    /// 0, or with `once` 1 when some frame failed.
    public func run() -> Int32 {
        let now = MonotonicClock.nanoseconds()
        nextReport = now &+ UInt64(config.reportIntervalSeconds) * 1_000_000_000
        nextWatchdog = now
        nextAttach = now &+ 1_000_000_000
        writeState("running")
        notifier.notify("READY=1\nSTATUS=watching \(config.directories.count) directories, backlog \(queue.backlogCount)\nMAINPID=\(getpid())")
        while !stopping {
            let now = MonotonicClock.nanoseconds()
            handleSignals()
            if stopping { break }
            if !options.once { takeEvents(now: now) }
            watcher.takeSettled(now: now) { frame in enqueue(frame, backlog: options.once) }
            periodic(now: now)
            if options.once && queue.isEmpty && watcher.settlingCount == 0 { break }
            if !queue.isEmpty, now >= pausedUntil, now >= nextFrameAllowed, let frame = queue.next() {
                queued.remove(frame)
                if config.maximumRate > 0 { nextFrameAllowed = now &+ UInt64(1e9 / config.maximumRate) }
                process(frame)
                continue
            }
            wait(now: now)
        }
        finish()
        return options.once && counters.failed > 0 ? 1 : 0
    }

    // MARK: The loop's parts

    private func enqueue(_ frame: Watcher.Frame, backlog: Bool) {
        guard queued.insert(frame).inserted else { return }
        if backlog {
            queue.appendBacklog(frame)
        } else if let pushedOut = queue.appendLive(frame) {
            queued.remove(pushedOut)
            skip(pushedOut)
        }
    }

    private func takeEvents(now: UInt64) {
        watcher.readEvents(now: now, ready: { frame in enqueue(frame, backlog: false) }) { change in
            switch change {
            case .lost(let index):
                AgentLog.warning("\(config.directories[index]): the directory went away; waiting for it to come back")
                nextAttach = now &+ 1_000_000_000
            case .rescan(let index):
                AgentLog.warning("\(config.directories[index]): inotify queue overflowed; listing the directory again")
                for name in watcher.scan(index, now: now) { enqueue(Watcher.Frame(directoryIndex: index, name: name), backlog: false) }
            }
        }
    }

    private func periodic(now: UInt64) {
        if let interval = notifier.watchdogIntervalNanoseconds, now >= nextWatchdog {
            notifier.notify("WATCHDOG=1")
            nextWatchdog = now &+ interval
        }
        if now >= nextReport {
            storeReports(now: now)
            nextReport = now &+ UInt64(config.reportIntervalSeconds) * 1_000_000_000
            notifier.notify("STATUS=\(counters.done) frames done, \(counters.failed) failed, \(counters.skipped) skipped, queue \(queue.count)")
        }
        if !options.once, watcher.hasMissing, now >= nextAttach {
            for index in watcher.attachMissing() {
                AgentLog.info("\(config.directories[index]): watching (again)")
                for name in watcher.scan(index, now: now) { enqueue(Watcher.Frame(directoryIndex: index, name: name), backlog: true) }
            }
            nextAttach = now &+ 1_000_000_000
        }
        store.syncIfDue(now: now)
    }

    /// Sleeps in `poll` until an event, a signal or the nearest deadline.
    private func wait(now: UInt64) {
        var deadline = nextReport
        if notifier.watchdogIntervalNanoseconds != nil { deadline = min(deadline, nextWatchdog) }
        if let settle = watcher.nextSettleDeadline { deadline = min(deadline, settle) }
        if !options.once, watcher.hasMissing { deadline = min(deadline, nextAttach) }
        if !queue.isEmpty { deadline = min(deadline, max(pausedUntil, nextFrameAllowed)) }
        if config.fsync == .interval { deadline = min(deadline, now &+ UInt64(config.fsyncIntervalMilliseconds) * 1_000_000) }
        let milliseconds = deadline > now ? Int32(min((deadline - now + 999_999) / 1_000_000, 3_600_000)) : 0
        var descriptors = [pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&descriptors, options.once ? 1 : 2, milliseconds)
    }

    private func handleSignals() {
        for signal in signals.take() {
            switch signal {
            case SIGTERM, SIGINT:
                AgentLog.info("signal \(signal): stopping")
                notifier.notify("STOPPING=1")
                stopping = true
            case SIGHUP:
                reload()
            default: break
            }
        }
    }

    // MARK: Frames

    private func process(_ frame: Watcher.Frame) {
        let directory = config.directories[frame.directoryIndex]
        let path = directory + "/" + frame.name
        guard let status = FileSystem.linkStatus(path) else {
            counters.vanished += 1
            AgentLog.info("\(path): gone before it was read")
            return
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return }
        let identity = FrameIdentity(path: path, status: status)
        if done.contains(identity) {
            // Stored before a restart; only the after-processing step was left to do.
            if config.after != .keep {
                counters.finishedAfterRestart += 1
                finishStored(frame, identity: identity)
            }
            return
        }
        let result: Classification
        do {
            result = try model.classifier.classify(path: path, regionOfInterest: config.region(for: directory),
                                                   top: config.top, threshold: config.threshold)
        } catch {
            if FileSystem.linkStatus(path) == nil {
                counters.vanished += 1
                AgentLog.info("\(path): gone before it was read")
            } else {
                quarantine(frame, reason: error.cause)
            }
            return
        }
        sequence += 1
        let record = frameRecord(frame, identity: identity, result: result)
        guard store(record) else {
            // Not stored: leave the file, try again after a pause (the card may be full).
            sequence -= 1
            queued.insert(frame)
            queue.appendBacklog(frame)
            pausedUntil = MonotonicClock.nanoseconds() &+ 2_000_000_000
            return
        }
        counters.done += 1
        counters.classes[result.label, default: 0] += 1
        if config.logFrames {
            AgentLog.info("\(path): \(result.label) \(Int((result.score * 1000).rounded()))‰ "
                + "(decode \(Int(result.decodeMilliseconds.rounded())) ms, infer \(Int(result.inferenceMilliseconds.rounded())) ms)")
        }
        done.insert(identity)
        finishStored(frame, identity: identity)
    }

    /// Keeps, moves or deletes a frame whose record is stored.
    private func finishStored(_ frame: Watcher.Frame, identity: FrameIdentity) {
        let directory = config.directories[frame.directoryIndex]
        let path = directory + "/" + frame.name
        switch config.after {
        case .keep:
            return
        case .move:
            do {
                let folder = try self.folder(directory, "done", config.done)
                try FileSystem.move(path, to: folder.path + "/" + frame.name)
                folder.added(name: frame.name, bytes: Int(identity.size))
            } catch {
                AgentLog.warning("\(error)")
                return
            }
        case .delete:
            do { try FileSystem.remove(path) } catch {
                AgentLog.warning("\(error)")
                return
            }
        }
        done.remove(identity)
    }

    private func quarantine(_ frame: Watcher.Frame, reason: String) {
        counters.failed += 1
        let directory = config.directories[frame.directoryIndex]
        let path = directory + "/" + frame.name
        AgentLog.warning("\(path): cannot classify (\(reason)); moved to failed/")
        do {
            let folder = try self.folder(directory, "failed", config.failed)
            let text = "\(reason)\nfailed at \(SystemInfo.iso8601(nanoseconds: SystemInfo.wallClockNanoseconds())) by run \(runIdentifier)\n"
            // The reason first: a crash before the move leaves the frame to be tried (and quarantined) again.
            try FileSystem.writeAtomically(text, to: folder.path + "/" + frame.name + ".reason")
            let size = FileSystem.linkStatus(path).map { Int($0.st_size) } ?? 0
            try FileSystem.move(path, to: folder.path + "/" + frame.name)
            folder.added(name: frame.name, bytes: size + text.utf8.count)
        } catch {
            AgentLog.error("\(error)")
        }
    }

    private func skip(_ frame: Watcher.Frame) {
        counters.skipped += 1
        let directory = config.directories[frame.directoryIndex]
        let path = directory + "/" + frame.name
        AgentLog.warning("\(path): skipped (queue full: frames arrive faster than inference)")
        do {
            switch config.skip {
            case .delete: try FileSystem.remove(path)
            case .move:
                let folder = try self.folder(directory, "skipped", config.skipped)
                let size = FileSystem.linkStatus(path).map { Int($0.st_size) } ?? 0
                try FileSystem.move(path, to: folder.path + "/" + frame.name)
                folder.added(name: frame.name, bytes: size)
            }
        } catch {
            AgentLog.warning("\(error)")
        }
    }

    private func folder(_ directory: String, _ name: String, _ retention: AgentConfig.Retention) throws(AgentError) -> RetainedFolder {
        let path = directory + "/" + name
        if let folder = folders[path], folder.retention == retention { return folder }
        let folder = try RetainedFolder(path: path, retention: retention)
        folders[path] = folder
        return folder
    }

    // MARK: Records

    private func header(_ kind: String) -> [(String, JSON)] {
        [("kind", .string(kind)), ("device", .string(device)), ("run", .string(runIdentifier)), ("seq", .int(sequence))]
    }

    private func timing() -> [(String, JSON)] {
        let monotonic = MonotonicClock.nanoseconds()
        if clockCheckedAt == 0 || monotonic &- clockCheckedAt > 10_000_000_000 {
            clockSynced = SystemInfo.clockSynchronized()
            clockCheckedAt = monotonic
        }
        let wall = SystemInfo.wallClockNanoseconds()
        return [("processed_at", .string(SystemInfo.iso8601(nanoseconds: wall))), ("processed_unix_ms", .int(Int(wall / 1_000_000))),
                ("processed_mono_ns", .int(Int(monotonic))), ("clock_synced", .bool(clockSynced))]
    }

    private func frameRecord(_ frame: Watcher.Frame, identity: FrameIdentity, result: Classification) -> JSON {
        var members = header("frame")
        members += [
            ("dir", .string(config.directories[frame.directoryIndex])), ("file", .string(frame.name)),
            ("inode", .int(Int(identity.inode))), ("size", .int(Int(identity.size))),
            ("mtime_ns", .int(Int(identity.modifiedNanoseconds))),
            ("captured_at", .string(SystemInfo.iso8601(nanoseconds: identity.modifiedNanoseconds))),
        ]
        members += timing()
        members += [
            ("label", .string(result.label)), ("score", JSON.rounded(result.score)),
            ("top", .array(result.top.map { .object([("label", .string($0.label)), ("score", JSON.rounded($0.score))]) })),
            ("model", .string(model.name)), ("model_version", .string(model.version)), ("model_hash", .string(model.hash)),
            ("decode_ms", JSON.rounded(result.decodeMilliseconds)), ("infer_ms", JSON.rounded(result.inferenceMilliseconds)),
        ]
        return .object(members)
    }

    /// Stores a record (and prints it when asked, after it is stored); false when it could not be stored.
    @discardableResult
    private func store(_ record: JSON) -> Bool {
        do {
            try store.append(record, now: MonotonicClock.nanoseconds())
        } catch {
            counters.storeErrors += 1
            AgentLog.error("\(error); the frame stays in place and is tried again")
            return false
        }
        options.recordStored?()
        if let printRecord = options.printRecord {
            var line = record.serialized()
            _ = line  // the stored line carries its CRC; print exactly what is stored
            line = String(decoding: RecordLine.seal(record).dropLast(), as: UTF8.self)
            printRecord(line)
        }
        return true
    }

    private func storeReports(now: UInt64) {
        let wall = SystemInfo.wallClockNanoseconds()
        var classes: [(String, JSON)] = []
        for label in model.classifier.scoreDecoder.labels + [Classification.unknownLabel] {
            classes.append((label, .int(counters.classes[label] ?? 0)))
        }
        for (label, count) in counters.classes.sorted(by: { $0.key < $1.key })
        where !classes.contains(where: { $0.0 == label }) {
            classes.append((label, .int(count)))  // a label of a model swapped out during the period
        }
        sequence += 1
        var counts = header("counts")
        counts += [("period_start", .string(SystemInfo.iso8601(nanoseconds: countsPeriodStart))),
                   ("period_end", .string(SystemInfo.iso8601(nanoseconds: wall)))]
        counts += timing()
        counts += [("model", .string(model.name)), ("model_version", .string(model.version)), ("counts", .object(classes))]
        if store(.object(counts)) {
            counters.classes = [:]
            countsPeriodStart = wall
        } else {
            sequence -= 1
        }
        sequence += 1
        var health = header("health")
        health += timing()
        let temperature = SystemInfo.cpuTemperature()
        health += [
            ("uptime_s", .int(Int((now &- startMonotonic) / 1_000_000_000))),
            ("started_at", .string(SystemInfo.iso8601(nanoseconds: startWall))),
            ("frames_done", .int(counters.done)), ("frames_failed", .int(counters.failed)),
            ("frames_skipped", .int(counters.skipped)), ("frames_vanished", .int(counters.vanished)),
            ("queue_depth", .int(queue.count)), ("queue_capacity", .int(queue.capacity)),
            ("backlog", .int(queue.backlogCount)), ("settling", .int(watcher.settlingCount)),
            ("store_bytes", .int(store.totalBytes)), ("store_dropped", .int(store.droppedRecords)),
            ("store_errors", .int(counters.storeErrors)),
            ("rss_kb", SystemInfo.residentKilobytes().map { .int($0) } ?? .null),
            ("cpu_s", JSON.rounded(SystemInfo.cpuSeconds())),
            ("cpu_temp_c", temperature.map { JSON.rounded($0) } ?? .null),
            ("model", .string(model.name)), ("model_version", .string(model.version)), ("model_hash", .string(model.hash)),
        ]
        health += options.healthMembers?() ?? []
        if !store(.object(health)) { sequence -= 1 }
    }

    // MARK: State, reload, exit

    /// `STATE/agent.json`: what `curbside status` shows besides the last health record.
    private func writeState(_ state: String) {
        let text = JSON.object([
            ("state", .string(state)), ("pid", .int(Int(getpid()))), ("run", .string(runIdentifier)), ("device", .string(device)),
            ("started_at", .string(SystemInfo.iso8601(nanoseconds: startWall))),
            ("updated_at", .string(SystemInfo.iso8601(nanoseconds: SystemInfo.wallClockNanoseconds()))),
            ("model_path", .string(model.path)), ("model", .string(model.name)), ("model_version", .string(model.version)),
            ("model_hash", .string(model.hash)), ("dirs", .array(config.directories.map(JSON.string))),
            ("after", .string(config.after.rawValue)), ("frames_done", .int(counters.done)),
            ("frames_failed", .int(counters.failed)), ("frames_skipped", .int(counters.skipped)),
        ]).serialized() + "\n"
        do { try FileSystem.writeAtomically(text, to: stateDirectory + "/agent.json") } catch {
            AgentLog.warning("\(error)")
        }
    }

    private func reload() {
        AgentLog.info("SIGHUP: reloading the configuration")
        var newConfig = config
        if let reload = options.reload {
            do {
                newConfig = try reload().validated()
            } catch {
                AgentLog.error("reload refused, the old configuration stays: \(error)")
                return
            }
        }
        // What the running loop was built around needs a restart to change.
        var restartOnly: [String] = []
        if newConfig.directories != config.directories { restartOnly.append("dirs") }
        if newConfig.stateDirectory != config.stateDirectory { restartOnly.append("state_dir") }
        if newConfig.queueCapacity != config.queueCapacity { restartOnly.append("queue") }
        if newConfig.settleMilliseconds != config.settleMilliseconds { restartOnly.append("settle_ms") }
        if newConfig.fsync != config.fsync || newConfig.segmentBytes != config.segmentBytes
            || newConfig.storeMaximumBytes != config.storeMaximumBytes || newConfig.fsyncIntervalMilliseconds != config.fsyncIntervalMilliseconds {
            restartOnly.append("store settings")
        }
        if !restartOnly.isEmpty { AgentLog.warning("reload: \(restartOnly.joined(separator: ", ")) change only at restart") }
        newConfig.directories = config.directories
        newConfig.stateDirectory = config.stateDirectory
        newConfig.queueCapacity = config.queueCapacity
        newConfig.settleMilliseconds = config.settleMilliseconds
        newConfig.fsync = config.fsync
        newConfig.segmentBytes = config.segmentBytes
        newConfig.storeMaximumBytes = config.storeMaximumBytes
        newConfig.fsyncIntervalMilliseconds = config.fsyncIntervalMilliseconds
        let modelPath = newConfig.model!
        if model.isStale(path: modelPath, threads: newConfig.threads) || newConfig.decodeLimits != config.decodeLimits {
            do {
                let candidate = try LoadedModel(path: modelPath, threads: newConfig.threads, config: newConfig)
                AgentLog.info("reload: now running model \(candidate.name) \(candidate.version) (\(candidate.hash)); was \(model.hash)")
                model = candidate
            } catch {
                AgentLog.error("reload: new model refused, the old one (\(model.hash)) keeps running: \(error)")
                newConfig.model = config.model
                newConfig.threads = config.threads
                newConfig.maximumPixels = config.maximumPixels
                newConfig.maximumFileBytes = config.maximumFileBytes
            }
        }
        config = newConfig
        writeState("running")
        notifier.notify("STATUS=reloaded; model \(model.name) \(model.version)")
    }

    private func finish() {
        storeReports(now: MonotonicClock.nanoseconds())
        try? store.sync(now: MonotonicClock.nanoseconds())
        writeState("stopped")
        AgentLog.info("stopped: \(counters.done) frames done, \(counters.failed) failed, \(counters.skipped) skipped, "
            + "\(counters.vanished) vanished")
    }
}
