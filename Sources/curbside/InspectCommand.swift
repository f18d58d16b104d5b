import CurbToolSupport
import ArgumentParser
import CurbModel
import CurbRuntime

/// `curbside inspect MODEL [--json] [--kernels K] [--ignore-checksum]`
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what is inside a model file: tensors, operators, MACs and the arena plan.",
        discussion: "Validates the whole file first; an invalid file is reported in one line with exit code 2.")

    @Argument(help: "The .curb model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp(stringLiteral: KernelSelection.optionHelp
                               + " The arena's scratch (packed weights) depends on them."))
    var kernels = "automatic"

    @Flag(help: "Skip only the CRC-32 check (for fuzzing and forensics); every other check still runs.")
    var ignoreChecksum = false

    func validate() throws {
        guard KernelSelection(optionName: kernels) != nil else { throw ValidationError(KernelSelection.optionError) }
    }

    func run() throws {
        let (model, fileBytes) = try ModelLoading.read(self.model, verifyChecksum: !ignoreChecksum)
        let summary = ModelSummary(model: model, fileBytes: fileBytes, kernels: KernelSelection(optionName: kernels)!)
        if json {
            print(summary.json.serialized())
        } else {
            print(summary.text, terminator: "")
        }
    }
}
