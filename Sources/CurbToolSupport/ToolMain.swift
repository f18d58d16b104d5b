import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command-line tool's root command: failures print one line on stderr and map to the documented
/// exit codes (``CommandFailure/exitCode``; 2 for usage errors, where argument-parser would use 64).
public func runTool<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]) -> Int32 {
    do {
        var command = try root.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let failure as CommandFailure {
        printError("\(root.configuration.commandName ?? "error"): \(failure)")
        return failure.exitCode
    } catch {
        let code = root.exitCode(for: error)
        if code == .success {
            print(root.fullMessage(for: error))
            return 0
        }
        printError(root.fullMessage(for: error))
        return code == .failure ? 1 : 2
    }
}

/// Writes a line to standard error (unbuffered, so it interleaves correctly with progress output).
public func printError(_ message: String, newline: Bool = true) {
    var line = message
    if newline, !line.hasSuffix("\n") { line += "\n" }
    let bytes = Array(line.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
