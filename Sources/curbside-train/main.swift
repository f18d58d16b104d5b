import ArgumentParser
import CurbToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// The `curbside-train` command: trains, exports and evaluates models for the boards.
struct CurbsideTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside-train",
        abstract: "Train int8 image classifiers for Curbside boards, and evaluate .curb files.",
        discussion: "Exit codes: 0 success, 1 some inputs failed, 2 usage error or invalid model/input.",
        subcommands: [TrainCommand.self, EvaluateCommand.self])
}

exit(runTool(CurbsideTrain.self, arguments: Array(CommandLine.arguments.dropFirst())))
