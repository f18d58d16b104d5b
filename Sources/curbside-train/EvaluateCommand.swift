import ArgumentParser
import CurbModel
import CurbToolSupport
import CurbTrain
import Foundation
import CurbJSON

/// `curbside-train evaluate --model MODEL.curb --data DIR [--json] [--split validation --seed S --val-split F]`
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score an int8 .curb model on DIR/<class>/<image> with the runtime the boards run.",
        discussion: """
            Every image goes through the same code as `curbside classify`, so the two agree exactly. Prints \
            accuracy, per-class precision and recall, and the confusion matrix (rows: true class, columns: \
            predicted). --json prints one object: accuracy, images, correct, labels, per_class (label, precision, \
            recall, support), confusion, skipped. Unreadable images are skipped and listed. Exit codes: 0 done, \
            2 usage error, invalid model or no usable image.
            """)

    @Option(help: "The .curb model file.")
    var model: String

    @Option(help: "Labelled images: one sub-folder per class, named as the model's labels.")
    var data: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "all, or validation: only the validation split the trainer used (with --seed and --val-split).")
    var split: String = "all"

    @Option(help: "The training run's --seed (with --split validation).")
    var seed: UInt64 = 1

    @Option(help: "The training run's --val-split (with --split validation).")
    var valSplit: Double = 0.15

    func validate() throws {
        guard split == "all" || split == "validation" else { throw ValidationError("--split must be all or validation") }
        guard (0..<1).contains(valSplit) else { throw ValidationError("--val-split must be in [0, 1)") }
    }

    func run() throws {
        let loaded: Model
        do {
            loaded = try ModelReader.read(path: model)
        } catch {
            throw CommandFailure(file: model, "invalid model: \(error)")
        }
        let selection: FolderEvaluation.Selection = split == "validation" ? .validation(seed: seed, fraction: valSplit) : .all
        let evaluation = try TrainCommand.failing { () throws(TrainingError) in
            try FolderEvaluation(model: loaded, directory: data, selection: selection)
        }
        if json {
            print(Self.json(evaluation).serialized())
        } else {
            print(Self.report(evaluation))
        }
        for skipped in evaluation.skipped { printError("skipped \(skipped.path): \(skipped.reason)") }
    }

    static func json(_ evaluation: FolderEvaluation) -> JSON {
        let rounded = { (value: Double) in (value * 1_000_000).rounded() / 1_000_000 }
        return .object([
            ("accuracy", .double(rounded(evaluation.accuracy))),
            ("images", .int(evaluation.images)),
            ("correct", .int(evaluation.correct)),
            ("labels", .array(evaluation.labels.map { .string($0) })),
            ("per_class", .array(evaluation.labels.indices.map { index in
                let figures = evaluation.precisionRecall(index)
                return .object([("label", .string(evaluation.labels[index])), ("precision", .double(rounded(figures.precision))),
                                ("recall", .double(rounded(figures.recall))), ("support", .int(figures.support))])
            })),
            ("confusion", .array(evaluation.confusion.map { .array($0.map { .int($0) }) })),
            ("skipped", .array(evaluation.skipped.map { .object([("file", .string($0.path)), ("error", .string($0.reason))]) })),
        ])
    }

    static func report(_ evaluation: FolderEvaluation) -> String {
        var lines = [String(format: "accuracy %.2f%% (%d of %d images)", evaluation.accuracy * 100, evaluation.correct, evaluation.images)]
        let width = max(10, (evaluation.labels.map(\.count).max() ?? 0) + 2)
        func padded(_ text: String, _ count: Int) -> String { text.count >= count ? text + " " : text + String(repeating: " ", count: count - text.count) }
        lines.append(padded("class", width) + "precision  recall  support")
        for index in evaluation.labels.indices {
            let figures = evaluation.precisionRecall(index)
            lines.append(padded(evaluation.labels[index], width)
                         + String(format: "%8.2f%%  %6.2f%%  %7d", figures.precision * 100, figures.recall * 100, figures.support))
        }
        lines.append("confusion (rows: true, columns: predicted)")
        lines.append(padded("", width) + evaluation.labels.map { padded(String($0.prefix(9)), 10) }.joined())
        for (index, row) in evaluation.confusion.enumerated() {
            lines.append(padded(evaluation.labels[index], width) + row.map { padded(String($0), 10) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
