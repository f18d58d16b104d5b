import ArgumentParser
import CurbToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// The `curbside` command: one subcommand per job.
struct Curbside: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside",
        abstract: "Int8 inference for city sensor boards.",
        discussion: "Exit codes: 0 success, 1 some inputs failed, 2 usage error or invalid model/input.",
        subcommands: [BenchCommand.self, ClassifyCommand.self, InspectCommand.self, InvokeCommand.self,
                      WatchCommand.self, ReportsCommand.self, StatusCommand.self])
}

exit(runTool(Curbside.self, arguments: Array(CommandLine.arguments.dropFirst())))
