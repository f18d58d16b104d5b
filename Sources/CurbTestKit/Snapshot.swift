import Foundation

/// Golden-file ("snapshot") comparison for text output: the expected text lives in a committed file, so a change
/// in output is a visible diff. Set `CURBSIDE_REGENERATE=1` to rewrite the files from the current output.
public enum Snapshot {
    public static var regenerating: Bool { ProcessInfo.processInfo.environment["CURBSIDE_REGENERATE"] == "1" }

    /// Returns the committed text at `url`, first writing `actual` there when regenerating.
    public static func expected(at url: URL, actual: String) throws -> String {
        if regenerating { try Data(actual.utf8).write(to: url) }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
