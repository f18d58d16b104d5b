import CurbImage

/// Everything `curbside watch` can be told, from the config file (``ConfigParser`` syntax) and the
/// command line (which wins). Every key, its default and meaning: `Firmware/curbside.conf.example`.
public struct AgentConfig: Sendable, Equatable {
    /// What happens to a frame once its record is stored.
    public enum AfterPolicy: String, Sendable, CaseIterable { case keep, move, delete }
    /// What happens to a live frame skipped because the queue is full.
    public enum SkipPolicy: String, Sendable, CaseIterable { case move, delete }
    /// When the record store is flushed to the card.
    public enum FsyncPolicy: String, Sendable, CaseIterable { case always, interval, never }

    /// A cap on a folder of kept frames (`done/`, `failed/`, `skipped/`): the oldest go first.
    public struct Retention: Sendable, Equatable {
        public var maximumFiles: Int
        public var maximumBytes: Int
        public init(maximumFiles: Int, maximumBytes: Int) {
            self.maximumFiles = maximumFiles
            self.maximumBytes = maximumBytes
        }
    }

    public var model: String?
    public var directories: [String] = []
    public var stateDirectory: String?
    public var after: AfterPolicy = .keep
    /// Inference threads; 0 = every online processor.
    public var threads = 0
    /// Quiet time after the last write of a file written in place before it is read.
    public var settleMilliseconds = 200
    public var queueCapacity = 256
    public var skip: SkipPolicy = .move
    public var top = 3
    public var threshold = 0.0
    /// A crop applied to every directory's frames (before preprocessing), unless ``regions`` has one.
    public var regionOfInterest: PixelRegion?
    /// Crops per watched directory (key: the directory exactly as configured).
    public var regions: [String: PixelRegion] = [:]
    /// The board's name in records; empty = the host name.
    public var device = ""
    /// Seconds between `counts` and `health` records.
    public var reportIntervalSeconds = 60
    public var fsync: FsyncPolicy = .always
    public var fsyncIntervalMilliseconds = 1000
    /// A store segment file is closed and a new one started beyond this size.
    public var segmentBytes = 4 << 20
    /// The store's whole size cap: the oldest segments are dropped (and counted) beyond it.
    public var storeMaximumBytes = 256 << 20
    public var done = Retention(maximumFiles: 10_000, maximumBytes: 1 << 30)
    public var failed = Retention(maximumFiles: 1_000, maximumBytes: 256 << 20)
    public var skipped = Retention(maximumFiles: 1_000, maximumBytes: 256 << 20)
    /// At most this many frames per second (0 = as fast as inference goes): caps heat and CPU.
    public var maximumRate = 0.0
    public var maximumPixels = DecodeLimits.standard.maximumPixels
    public var maximumFileBytes = DecodeLimits.standard.maximumFileBytes
    /// Whether every frame gets a log line (failures, skips and state changes always do).
    public var logFrames = true
    /// Reports upload (`curbside watch --upload URL`): the collector's base URL; empty = no upload.
    public var uploadURL = ""
    /// Bearer token for the collector; empty = none.
    public var uploadToken = ""
    /// A batch carries at most this many records and this many (uncompressed) bytes.
    public var uploadBatchRecords = 500
    public var uploadBatchBytes = 256 << 10
    /// TLS: a CA bundle instead of the system trust store; a client certificate and key for mTLS.
    public var uploadCAFile = ""
    public var uploadClientCertificate = ""
    public var uploadClientKey = ""
    /// An HTTP(S) proxy URL; empty = none (libcurl's proxy environment variables still apply).
    public var uploadProxy = ""
    /// Backoff cap after failed uploads (full jitter below it), and the pause after 401/403.
    public var uploadMaximumBackoffSeconds = 300
    public var uploadConnectTimeoutSeconds = 10
    public var uploadTimeoutSeconds = 60
    /// The ceiling of the average upload body rate in bytes per second (gzip bytes); 0 = unlimited.
    public var uploadMaximumBytesPerSecond = 0

    public init() {}

    /// Reads a config file; an unknown key or a value of the wrong type is refused, naming the key.
    public static func load(path: String) throws(AgentError) -> AgentConfig {
        let bytes = try FileSystem.readBytes(path, limit: 1 << 20)
        do {
            return try parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw AgentError(file: path, error.message)
        }
    }

    /// Reads config text (see ``ConfigParser``).
    public static func parse(_ text: String) throws(AgentError) -> AgentConfig {
        var config = AgentConfig()
        for entry in try ConfigParser.parse(text) {
            try config.apply(entry)
        }
        return config
    }

    /// Every key the file may hold (tables excluded), for messages and the documentation test.
    public static let keys = [
        "model", "dirs", "state_dir", "after", "threads", "settle_ms", "queue", "skip", "top", "threshold", "roi",
        "device", "report_interval_s", "fsync", "fsync_interval_ms", "segment_bytes", "store_max_bytes",
        "done_max_files", "done_max_bytes", "failed_max_files", "failed_max_bytes", "skipped_max_files",
        "skipped_max_bytes", "max_rate", "max_pixels", "max_file_bytes", "log_frames",
        "upload_url", "upload_token", "upload_batch_records", "upload_batch_bytes", "upload_ca_file",
        "upload_client_cert", "upload_client_key", "upload_proxy", "upload_max_backoff_s",
        "upload_connect_timeout_s", "upload_timeout_s", "upload_max_bytes_per_second",
    ]

    /// Applies one entry, checking its type and range.
    public mutating func apply(_ entry: ConfigParser.Entry) throws(AgentError) {
        let key = entry.key
        let value = entry.value
        let place = entry.line > 0 ? "config line \(entry.line): " : ""
        func fail(_ message: String) -> AgentError { AgentError("\(place)'\(key)' \(message)") }
        func string() throws(AgentError) -> String {
            guard case .string(let text) = value else { throw fail("must be a string, not \(value.typeName)") }
            return text
        }
        func integer(_ range: ClosedRange<Int>) throws(AgentError) -> Int {
            guard case .integer(let number) = value else { throw fail("must be an integer, not \(value.typeName)") }
            guard range.contains(number) else { throw fail("must be in \(range.lowerBound)…\(range.upperBound), not \(number)") }
            return number
        }
        func number(_ range: ClosedRange<Double>) throws(AgentError) -> Double {
            let result: Double
            switch value {
            case .integer(let integer): result = Double(integer)
            case .float(let float): result = float
            default: throw fail("must be a number, not \(value.typeName)")
            }
            guard range.contains(result) else { throw fail("must be in \(range.lowerBound)…\(range.upperBound), not \(result)") }
            return result
        }
        func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(AgentError) -> T where T.RawValue == String {
            let text = try string()
            guard let result = T(rawValue: text) else {
                throw fail("must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
            return result
        }
        func region() throws(AgentError) -> PixelRegion {
            guard case .array(let items) = value, items.count == 4 else { throw fail("must be a list [x, y, width, height]") }
            var numbers: [Int] = []
            for item in items {
                guard case .integer(let number) = item, number >= 0 else { throw fail("must hold four non-negative integers") }
                numbers.append(number)
            }
            guard numbers[2] > 0, numbers[3] > 0 else { throw fail("must have a positive width and height") }
            return PixelRegion(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
        }
        let big = 0...(1 << 50)
        if entry.table == "regions" {
            regions[entry.name] = try region()
            return
        }
        if let table = entry.table { throw AgentError("config line \(entry.line): unknown table '[\(table)]' (key '\(key)')") }
        switch key {
        case "model": model = try string()
        case "upload_url": uploadURL = try string()
        case "upload_token": uploadToken = try string()
        case "upload_batch_records": uploadBatchRecords = try integer(1...100_000)
        case "upload_batch_bytes": uploadBatchBytes = try integer(1024...(64 << 20))
        case "upload_ca_file": uploadCAFile = try string()
        case "upload_client_cert": uploadClientCertificate = try string()
        case "upload_client_key": uploadClientKey = try string()
        case "upload_proxy": uploadProxy = try string()
        case "upload_max_backoff_s": uploadMaximumBackoffSeconds = try integer(1...86_400)
        case "upload_connect_timeout_s": uploadConnectTimeoutSeconds = try integer(1...3600)
        case "upload_timeout_s": uploadTimeoutSeconds = try integer(1...3600)
        case "upload_max_bytes_per_second": uploadMaximumBytesPerSecond = try integer(0...(1 << 40))
        case "dirs":
            guard case .array(let items) = value else { throw fail("must be a list of strings, not \(value.typeName)") }
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item, !text.isEmpty else { throw fail("must be a list of non-empty strings") }
                result.append(text)
            }
            directories = result
        case "state_dir": stateDirectory = try string()
        case "after": after = try choice(AfterPolicy.self)
        case "threads": threads = try integer(0...256)
        case "settle_ms": settleMilliseconds = try integer(0...600_000)
        case "queue": queueCapacity = try integer(1...1_000_000)
        case "skip": skip = try choice(SkipPolicy.self)
        case "top": top = try integer(1...1000)
        case "threshold": threshold = try number(0...1)
        case "roi": regionOfInterest = try region()
        case "device": device = try string()
        case "report_interval_s": reportIntervalSeconds = try integer(1...86_400)
        case "fsync": fsync = try choice(FsyncPolicy.self)
        case "fsync_interval_ms": fsyncIntervalMilliseconds = try integer(1...3_600_000)
        case "segment_bytes": segmentBytes = try integer(4096...(1 << 40))
        case "store_max_bytes": storeMaximumBytes = try integer(4096...(1 << 50))
        case "done_max_files": done.maximumFiles = try integer(big)
        case "done_max_bytes": done.maximumBytes = try integer(big)
        case "failed_max_files": failed.maximumFiles = try integer(big)
        case "failed_max_bytes": failed.maximumBytes = try integer(big)
        case "skipped_max_files": skipped.maximumFiles = try integer(big)
        case "skipped_max_bytes": skipped.maximumBytes = try integer(big)
        case "max_rate": maximumRate = try number(0...1_000_000)
        case "max_pixels": maximumPixels = try integer(1...(1 << 40))
        case "max_file_bytes": maximumFileBytes = try integer(1...(1 << 40))
        case "log_frames":
            guard case .boolean(let flag) = value else { throw fail("must be true or false, not \(value.typeName)") }
            logFrames = flag
        default:
            throw AgentError("\(place)unknown key '\(key)'")
        }
    }

    /// Checks what must be set before the agent can start.
    public func validated() throws(AgentError) -> AgentConfig {
        guard let model, !model.isEmpty else { throw AgentError("no model: give --model or 'model' in the config") }
        guard !directories.isEmpty else { throw AgentError("no frame directory: give --dir or 'dirs' in the config") }
        guard let stateDirectory, !stateDirectory.isEmpty else {
            throw AgentError("no state directory: give --state-dir or 'state_dir' in the config")
        }
        return self
    }

    /// The crop for frames of `directory`.
    public func region(for directory: String) -> PixelRegion? { regions[directory] ?? regionOfInterest }

    /// The decode limits for frames.
    public var decodeLimits: DecodeLimits { DecodeLimits(maximumPixels: maximumPixels, maximumFileBytes: maximumFileBytes) }
}
