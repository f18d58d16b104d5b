/// What the uploader reports into the health record.
public struct UploadStatus: Sendable, Equatable {
    /// Records the collector acknowledged since start.
    public var acknowledged = 0
    /// Requests that failed (no answer, 5xx, 429, 408).
    public var failedRequests = 0
    /// Records moved to the quarantine file after a 4xx the collector will never accept.
    public var quarantined = 0
    /// 401/403: uploading is paused until the credentials work again (an alert in the health record).
    public var authenticationRejected = false
    /// The last problem, for the health record and the log.
    public var lastError: String?

    public init() {}
}
