import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `curbside` command: one subcommand per job.
struct Curbside: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside",
        abstract: "Int8 inference for city sensor boards.",
        discussion: "Exit codes: 0 success, 2 usage error or invalid model/input.",
        subcommands: [InspectCommand.self, InvokeCommand.self])
}

/// Runs a command, printing failures as one line on stderr with the documented exit codes (argument-parser's
/// own usage errors would exit 64; ours are 2).
func runCurbside(_ arguments: [String]) -> Int32 {
    do {
        var command = try Curbside.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let failure as CommandFailure {
        printError("curbside: \(failure)")
        return failure.exitCode
    } catch {
        let code = Curbside.exitCode(for: error)
        if code == .success {
            print(Curbside.fullMessage(for: error))
            return 0
        }
        printError(Curbside.fullMessage(for: error))
        return 2
    }
}

func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    let bytes = Array(line.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

exit(runCurbside(Array(CommandLine.arguments.dropFirst())))
