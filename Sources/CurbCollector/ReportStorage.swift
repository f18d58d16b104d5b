/// One record as received: its key, a few fields the summary needs, and the line as it was sent.
public struct ReceivedRecord: Sendable, Equatable {
    public var device: String
    public var run: String
    public var sequence: Int
    public var kind: String
    public var label: String?
    public var line: String

    public init(device: String, run: String, sequence: Int, kind: String, label: String?, line: String) {
        self.device = device
        self.run = run
        self.sequence = sequence
        self.kind = kind
        self.label = label
        self.line = line
    }
}

/// What `GET /v1/summary` shows.
public struct ReportSummary: Sendable, Equatable {
    public struct Device: Sendable, Equatable {
        public var device: String
        public var records: Int
        /// When the collector last stored one of its records (Unix seconds).
        public var lastSeen: Int

        public init(device: String, records: Int, lastSeen: Int) {
            self.device = device
            self.records = records
            self.lastSeen = lastSeen
        }
    }
    public var records: Int
    public var devices: [Device]
    /// Frame records per label.
    public var labels: [(label: String, count: Int)]

    public static func == (lhs: ReportSummary, rhs: ReportSummary) -> Bool {
        lhs.records == rhs.records && lhs.devices == rhs.devices
            && lhs.labels.map { "\($0.label)=\($0.count)" } == rhs.labels.map { "\($0.label)=\($0.count)" }
    }
}

/// Where the collector keeps records. Deduplicates on (device, run, seq). SQLite now; PostgreSQL can come
/// behind the same protocol.
public protocol ReportStorage: Sendable {
    /// Stores the records not yet stored; returns how many were new and how many were already there.
    func insert(_ records: [ReceivedRecord], receivedAt: Int) throws -> (inserted: Int, duplicates: Int)
    func summary() throws -> ReportSummary
    /// Stored lines in arrival order, optionally of one device and received at or after `since` (Unix s).
    func lines(device: String?, since: Int?, limit: Int) throws -> [String]
}
