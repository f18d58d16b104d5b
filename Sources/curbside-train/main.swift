import ArgumentParser
import CurbToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// The `curbside-train` command: building model files (importing TFLite models, training) and evaluating them.
struct CurbsideTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside-train",
        abstract: "Build Curbside model files: import TFLite models, or train int8 image classifiers; evaluate .curb files.",
        discussion: "Exit codes: 0 success, 1 some inputs failed, 2 usage error or invalid/unsupported input.",
        subcommands: [ImportCommand.self, TrainCommand.self, EvaluateCommand.self])
}

exit(runTool(CurbsideTrain.self, arguments: Array(CommandLine.arguments.dropFirst())))
