import ArgumentParser
import CurbToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// The `curbside-train` command: building model files (for now: importing TFLite models).
struct CurbsideTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside-train",
        abstract: "Build Curbside model files.",
        discussion: "Exit codes: 0 success, 2 usage error or invalid/unsupported input.",
        subcommands: [ImportCommand.self])
}

exit(runTool(CurbsideTrain.self, arguments: Array(CommandLine.arguments.dropFirst())))
