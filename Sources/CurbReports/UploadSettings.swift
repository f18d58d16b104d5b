/// What the uploader needs from the configuration.
public struct UploadSettings: Sendable {
    /// The collector's base URL; records go to `URL/v1/reports`.
    public var baseURL: String
    public var token: String?
    public var batchRecords = 500
    public var batchBytes = 256 << 10
    public var initialBackoffNanoseconds: UInt64 = 1_000_000_000
    public var maximumBackoffNanoseconds: UInt64 = 300_000_000_000
    /// How long 401/403 pauses uploading before trying again (the token may have been fixed by a reload).
    public var authenticationPauseNanoseconds: UInt64 = 300_000_000_000
    /// A `Retry-After` longer than this is cut to it (a broken collector cannot park a board for days).
    public var maximumRetryAfterNanoseconds: UInt64 = 3_600_000_000_000
    /// The ceiling of the average request-body rate (gzip bytes per second); 0 = unlimited. Batches are
    /// paced on the monotonic clock: after a body of N bytes the next is not sent before N / rate seconds.
    public var maximumBytesPerSecond = 0

    public init(baseURL: String, token: String? = nil) {
        self.baseURL = baseURL
        self.token = token
    }

    /// `URL/v1/reports`, without a doubled slash.
    public var reportsURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/reports"
    }
}
