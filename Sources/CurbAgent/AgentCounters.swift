/// What the agent has done since it started (health records) and per class since the last counts record.
public struct AgentCounters: Sendable {
    /// Frames classified and stored.
    public var done = 0
    /// Frames that could not be classified (quarantined in `failed/`).
    public var failed = 0
    /// Live frames pushed out of the full queue.
    public var skipped = 0
    /// Frames that disappeared before they were read.
    public var vanished = 0
    /// Frames already stored before a restart, finished (moved or deleted) now.
    public var finishedAfterRestart = 0
    /// Records that could not be stored (a full or failing card).
    public var storeErrors = 0
    /// Labels counted since the last counts record.
    public var classes: [String: Int] = [:]
}
