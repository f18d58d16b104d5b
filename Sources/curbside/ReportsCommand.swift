import ArgumentParser
import CurbAgent
import CurbToolSupport
import CurbJSON

/// `curbside reports --state-dir STATE [--json] [--kind KIND]`: the records the agent stored.
struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Print the records stored by `curbside watch` (format: docs/reports.md).",
        discussion: "Text: one line per record. With --json, the stored NDJSON lines as they are. Damaged lines are skipped.")

    @Option(name: .customLong("state-dir"), help: "The agent's state directory.")
    var stateDirectory: String

    @Flag(help: "Print the records as stored (one JSON object per line).")
    var json = false

    @Option(help: "Only records of this kind: frame, counts or health.")
    var kind: String?

    func run() throws {
        do {
            try RecordStore.readAll(directory: stateDirectory + "/records") { record in
                if let kind, record["kind"]?.stringValue != kind { return }
                print(json ? record.serialized() : Self.line(record))
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }

    static func line(_ record: JSON) -> String {
        let kind = record["kind"]?.stringValue ?? "?"
        let head = "\(record["processed_at"]?.stringValue ?? "-")  \(record["run"]?.stringValue ?? "-")#\(record["seq"]?.intValue ?? 0)  \(kind)"
        switch kind {
        case "frame":
            let score = record["score"]?.doubleValue ?? 0
            return head + "  \(record["dir"]?.stringValue ?? "")/\(record["file"]?.stringValue ?? "")  "
                + "\(record["label"]?.stringValue ?? "?")  \(ClassifyCommand.formatted(score))"
        case "counts":
            guard case .object(let counts)? = record["counts"] else { return head }
            return head + "  " + counts.map { "\($0.0)=\($0.1.intValue ?? 0)" }.joined(separator: " ")
        case "health":
            return head + "  up \(record["uptime_s"]?.intValue ?? 0) s, done \(record["frames_done"]?.intValue ?? 0), "
                + "failed \(record["frames_failed"]?.intValue ?? 0), skipped \(record["frames_skipped"]?.intValue ?? 0), "
                + "queue \(record["queue_depth"]?.intValue ?? 0), store \(record["store_bytes"]?.intValue ?? 0) B"
        default:
            return head
        }
    }
}
