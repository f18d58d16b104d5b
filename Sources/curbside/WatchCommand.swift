import ArgumentParser
import CurbAgent
import CurbImage
import CurbReports
import CurbToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// `curbside watch --model MODEL --dir DIR --state-dir STATE [--config FILE] …`: the edge agent.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Classify every frame that lands in a directory and store one record per frame (the edge agent).",
        discussion: """
            Frames renamed into DIR are read at once; frames written in place after --settle-ms without writes. \
            The frames present at start are processed first. Records go to STATE/records/ (format: \
            docs/reports.md); each frame is processed once, also across restarts. Frames that cannot be \
            classified go to DIR/failed/ with a NAME.reason text. Every option can also be set in the config \
            file (Firmware/curbside.conf.example); the command line wins. SIGTERM/SIGINT finish the frame in \
            hand and exit 0; SIGHUP reloads the config and the model (a bad new model is refused). Exit codes: \
            0 ok, 1 (--once) some frames failed, 2 usage error, invalid config or model.
            """)

    @Option(help: "The .curb model file (config: model).")
    var model: String?

    @Option(name: .customLong("dir"), help: "A directory to watch; repeat for several (config: dirs).")
    var directories: [String] = []

    @Option(name: .customLong("state-dir"), help: "Where records and state are kept (config: state_dir).")
    var stateDirectory: String?

    @Option(help: "A config file (TOML subset; see Firmware/curbside.conf.example).")
    var config: String?

    @Option(help: "After a frame's record is stored: keep, move (to DIR/done/) or delete (config: after).")
    var after: String?

    @Option(help: "Inference threads, 0 = every core (config: threads).")
    var threads: Int?

    @Flag(help: "Process the frames there now, then exit.")
    var once = false

    @Flag(name: .customLong("print"), help: "Also print each record as one JSON line on stdout, after it is stored.")
    var printRecords = false

    @Option(name: .customLong("settle-ms"), help: "Quiet time after an in-place write before a frame is read (config: settle_ms).")
    var settleMilliseconds: Int?

    @Option(help: "Live frames waiting at most; beyond it the oldest are skipped (config: queue).")
    var queue: Int?

    @Option(help: "Classes per record (config: top).")
    var top: Int?

    @Option(help: "Below this score the label is 'unknown' (config: threshold).")
    var threshold: Double?

    @Option(help: "Crop X,Y,WIDTH,HEIGHT applied before preprocessing (config: roi).")
    var roi: String?

    @Option(help: "The device id in records; default the host name (config: device).")
    var device: String?

    @Option(name: .customLong("report-interval"), help: "Seconds between counts and health records (config: report_interval_s).")
    var reportInterval: Int?

    @Option(name: .customLong("max-rate"), help: "At most this many frames per second, 0 = unlimited (config: max_rate).")
    var maxRate: Double?

    @Option(help: "Flush records to disk: always, interval or never (config: fsync).")
    var fsync: String?

    @Option(help: "Upload records to this collector base URL (POST URL/v1/reports) (config: upload_url).")
    var upload: String?

    @Option(help: "Bearer token for the collector (config: upload_token).")
    var token: String?

    /// The config file's settings with the command line's on top.
    func effectiveConfig() throws(AgentError) -> AgentConfig {
        var result = try config.map { path throws(AgentError) in try AgentConfig.load(path: path) } ?? AgentConfig()
        func set(_ key: String, _ value: ConfigValue?) throws(AgentError) {
            guard let value else { return }
            try result.apply(ConfigParser.Entry(key: key, value: value))
        }
        try set("model", model.map(ConfigValue.string))
        if !directories.isEmpty { try set("dirs", .array(directories.map(ConfigValue.string))) }
        try set("state_dir", stateDirectory.map(ConfigValue.string))
        try set("after", after.map(ConfigValue.string))
        try set("threads", threads.map(ConfigValue.integer))
        try set("settle_ms", settleMilliseconds.map(ConfigValue.integer))
        try set("queue", queue.map(ConfigValue.integer))
        try set("top", top.map(ConfigValue.integer))
        try set("threshold", threshold.map(ConfigValue.float))
        try set("device", device.map(ConfigValue.string))
        try set("report_interval_s", reportInterval.map(ConfigValue.integer))
        try set("max_rate", maxRate.map(ConfigValue.float))
        try set("fsync", fsync.map(ConfigValue.string))
        try set("upload_url", upload.map(ConfigValue.string))
        try set("upload_token", token.map(ConfigValue.string))
        if let roi {
            let numbers = roi.split(separator: ",").map { Int($0.trimmed) }
            guard numbers.count == 4, numbers.allSatisfy({ $0 != nil }) else {
                throw AgentError("--roi: expected X,Y,WIDTH,HEIGHT, got \(roi)")
            }
            try set("roi", .array(numbers.map { .integer($0!) }))
        }
        return result
    }

    func run() throws {
        let agent: Agent
        var uploadThread: UploadThread?
        do {
            let settings = try effectiveConfig()
            if let state = settings.stateDirectory {
                uploadThread = UploadThread(config: settings, stateDirectory: state) { message in
                    let bytes = Array(("curbside: " + message + "\n").utf8)
                    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                }
            }
            let printer: ((String) -> Void)? = printRecords ? { line in
                let bytes = Array((line + "\n").utf8)
                _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            } : nil
            var options = Agent.Options(config: settings, once: once, printRecord: printer,
                                        reload: { () throws(AgentError) -> AgentConfig in try effectiveConfig() })
            if let uploadThread {
                options.recordStored = { uploadThread.wake() }
                options.healthMembers = { uploadThread.healthMembers() }
            }
            agent = try Agent(options: options)
        } catch {
            throw CommandFailure(error.description)
        }
        // The agent opened (and repaired) the spool; the uploader starts reading it now.
        uploadThread?.start()
        let status = agent.run()
        uploadThread?.stop()
        if status != 0 {
            throw CommandFailure("\(agent.counters.failed) frames could not be classified (moved to failed/)", exitCode: status)
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
