import ArgumentParser
import CurbModel
import CurbRuntime

@main
struct Curbside: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside",
        abstract: "Int8 inference for city sensor boards.",
        subcommands: [])
}
