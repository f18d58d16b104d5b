import CurbToolSupport
import ArgumentParser
import CurbModel
import CurbRuntime

/// `curbside inspect MODEL [--json] [--ignore-checksum]`
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what is inside a model file: tensors, operators, MACs and the arena plan.",
        discussion: "Validates the whole file first; an invalid file is reported in one line with exit code 2.")

    @Argument(help: "The .curb model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Skip only the CRC-32 check (for fuzzing and forensics); every other check still runs.")
    var ignoreChecksum = false

    func run() throws {
        let (model, fileBytes) = try ModelLoading.read(self.model, verifyChecksum: !ignoreChecksum)
        let summary = ModelSummary(model: model, fileBytes: fileBytes)
        if json {
            print(summary.json.serialized())
        } else {
            print(summary.text, terminator: "")
        }
    }
}
