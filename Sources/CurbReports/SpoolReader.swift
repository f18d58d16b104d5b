#if canImport(Glibc)
import Glibc
#endif
import CurbAgent

/// Reads whole records from the agent's spool (`STATE/records/seg-NNNNNNNN.ndjson`) from a position on,
/// beside the writer: a line counts only when it ends in a newline and its CRC holds, so a record being
/// appended is not read until it is whole. Damaged lines are skipped, as the store itself does.
public struct SpoolReader: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The segment file of `number`.
    public func path(_ number: Int) -> String {
        let digits = String(number)
        return directory + "/seg-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".ndjson"
    }

    /// The segment numbers present, ascending.
    public func segmentNumbers() -> [Int] {
        guard let names = try? FileSystem.names(in: directory) else { return [] }
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("seg-"), name.hasSuffix(".ndjson") else { return nil }
            return Int(name.dropFirst(4).dropLast(7))
        }.sorted()
    }

    /// The next batch after `position`: at most `maximumRecords` records and `maximumBytes` of body (at
    /// least one record), all of one (device, run). Also returns where reading stopped when nothing whole
    /// follows (so the cursor can move past damaged lines and finished segments).
    public func nextBatch(after position: SpoolPosition, maximumRecords: Int, maximumBytes: Int) -> (batch: UploadBatch?, skipTo: SpoolPosition) {
        var lines: [[UInt8]] = []
        var ends: [SpoolPosition] = []
        var bodyBytes = 0
        var device = "", run = "", first = 0, last = 0
        var skipTo = position
        let numbers = segmentNumbers().filter { $0 >= position.segment }
        for (index, number) in numbers.enumerated() {
            guard let bytes = try? FileSystem.readBytes(path(number), limit: 1 << 40) else { continue }
            let isNewest = index == numbers.count - 1
            var lineStart = number == position.segment ? min(position.offset, bytes.count) : 0
            var cursor = lineStart
            while cursor < bytes.count {
                guard bytes[cursor] == 10 else { cursor += 1; continue }
                let line = bytes[lineStart..<cursor]
                let lineEnd = SpoolPosition(segment: number, offset: cursor + 1)
                cursor += 1
                lineStart = cursor
                guard let record = RecordLine.open(line) else {
                    if lines.isEmpty { skipTo = lineEnd }
                    continue
                }
                let recordDevice = record["device"]?.stringValue ?? ""
                let recordRun = record["run"]?.stringValue ?? ""
                let sequence = record["seq"]?.intValue ?? 0
                if !lines.isEmpty {
                    if recordDevice != device || recordRun != run || lines.count >= maximumRecords
                        || bodyBytes + line.count + 1 > maximumBytes {
                        return (UploadBatch(lines: lines, ends: ends, device: device, run: run, firstSequence: first, lastSequence: last), skipTo)
                    }
                } else {
                    device = recordDevice
                    run = recordRun
                    first = sequence
                }
                last = sequence
                lines.append(Array(line))
                ends.append(lineEnd)
                bodyBytes += line.count + 1
            }
            // A finished (not newest) segment: the next one starts at its beginning.
            if !isNewest, lines.isEmpty { skipTo = SpoolPosition(segment: numbers[index + 1], offset: 0) }
        }
        if lines.isEmpty { return (nil, skipTo) }
        return (UploadBatch(lines: lines, ends: ends, device: device, run: run, firstSequence: first, lastSequence: last), skipTo)
    }

    /// Deletes the segments wholly before `position` (fully acknowledged), never the newest one.
    public func removeAcknowledged(before position: SpoolPosition) {
        let numbers = segmentNumbers()
        guard let newest = numbers.last else { return }
        for number in numbers where number < position.segment && number != newest {
            unlink(path(number))
        }
    }

    /// The `seq` of a stored line.
    static func sequence(of line: [UInt8]) -> Int? {
        RecordLine.open(line[...])?["seq"]?.intValue
    }
}
