/// Consecutive spool records of one (device, run) sent in one request.
public struct UploadBatch: Sendable, Equatable {
    /// Each record's stored line (without its newline).
    public var lines: [[UInt8]]
    /// Where each record's line ends in the spool (the cursor after acknowledging up to it).
    public var ends: [SpoolPosition]
    public var device: String
    public var run: String
    public var firstSequence: Int
    public var lastSequence: Int

    /// The batch body: NDJSON, one record per line.
    public var body: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes += line
            bytes.append(10)
        }
        return bytes
    }

    /// The cursor after the whole batch.
    public var end: SpoolPosition { ends[ends.count - 1] }

    /// The same for every retry of this batch: the collector may use it to answer a repeat at once.
    public var idempotencyKey: String { IdempotencyKey.make(device: device, run: run, firstSequence: firstSequence, lastSequence: lastSequence) }

    /// The first `count` records (for a 413 split).
    public func prefix(_ count: Int) -> UploadBatch {
        var copy = self
        copy.lines = Array(lines.prefix(count))
        copy.ends = Array(ends.prefix(count))
        copy.lastSequence = SpoolReader.sequence(of: copy.lines[copy.lines.count - 1]) ?? firstSequence
        return copy
    }
}
