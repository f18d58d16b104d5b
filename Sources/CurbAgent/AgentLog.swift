#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr, which journald stores with its own timestamp. Under systemd (stderr is
/// the journal: `JOURNAL_STREAM` is set) lines start with a syslog priority prefix (`<3>` error, `<4>`
/// warning, `<6>` info) that journald turns into the level; by hand they start with the level's word.
public enum AgentLog {
    public static func info(_ message: String) { write(6, message) }
    public static func warning(_ message: String) { write(4, message) }
    public static func error(_ message: String) { write(3, message) }

    private static let journal = FileSystem.environment("JOURNAL_STREAM") != nil

    private static func write(_ priority: Int, _ message: String) {
        var line = journal ? "<\(priority)>" : (priority == 3 ? "error: " : priority == 4 ? "warning: " : "")
        for character in message { line.append(character == "\n" ? " " : character) }
        line += "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
