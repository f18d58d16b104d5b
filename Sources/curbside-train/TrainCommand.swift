import ArgumentParser
import CurbModel
import CurbToolSupport
import CurbTrain
import Foundation

#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// `curbside-train train --data DIR --arch NAME|--spec FILE --input WxH --epochs N --out MODEL.curb`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a CNN on DIR/<class>/<image>, quantize it to int8 and write a .curb model.",
        discussion: """
            Next to --out it writes MODEL.checkpoint (after every epoch; --resume continues from it exactly), \
            MODEL.curve.png (loss and accuracy per epoch) and MODEL.confusion.png (int8 validation confusion \
            matrix). The exported weights are those of the best validation epoch. See docs/training.md.
            """)

    @Option(help: "Training images: one sub-folder per class.")
    var data: String

    @Option(help: "A built-in architecture: cifar10 or vehiclenet.")
    var arch: String?

    @Option(help: "A JSON architecture spec file (see docs/training.md).")
    var spec: String?

    @Option(help: "Input size WxH.")
    var input: String?

    @Option(help: "Epochs to train.")
    var epochs: Int = 30

    @Option(help: "The .curb file to write.")
    var out: String

    @Option(help: "Seed of the split, initialisation, shuffles, augmentation and dropout.")
    var seed: UInt64 = 1

    @Option(help: "Fraction of every class held out for validation.")
    var valSplit: Double = 0.15

    @Option(help: "Images per batch.")
    var batch: Int = 32

    @Option(help: "Peak learning rate.")
    var lr: Float = 0.002

    @Option(help: "sgd (Nesterov momentum 0.9) or adam (AdamW).")
    var optimizer: String = "adam"

    @Option(help: "Weight decay (decoupled for adam, L2 for sgd).")
    var weightDecay: Float = 1e-4

    @Option(help: "Learning-rate schedule: cosine (with warm-up), step (x0.1 every --step-epochs) or constant.")
    var schedule: String = "cosine"

    @Option(help: "Warm-up epochs of the cosine schedule.")
    var warmup: Int = 2

    @Option(help: "Epochs between the step schedule's decays.")
    var stepEpochs: Int = 10

    @Option(help: "Label smoothing of the cross-entropy (0 turns it off).")
    var labelSmoothing: Float = 0.1

    @Option(help: "Stop after this many epochs without a better validation accuracy (0: never).")
    var patience: Int = 0

    @Option(help: "OpenBLAS threads.")
    var threads: Int = 2

    @Option(help: "Continue from this checkpoint (its architecture and settings are used).")
    var resume: String?

    @Option(help: "Largest random shift, fraction of the size (0: off).")
    var shift: Float = 0.1

    @Flag(help: "No random horizontal flips.")
    var noFlip = false

    @Option(help: "Largest random rotation in degrees (0: off).")
    var rotation: Float = 10

    @Option(help: "Largest brightness change, fraction of 255 (0: off).")
    var brightness: Float = 0.1

    @Option(help: "Largest contrast change, factor 1 ± this (0: off).")
    var contrast: Float = 0.1

    @Flag(help: "Turn every augmentation off.")
    var noAugment = false

    @Option(help: "Training images used to calibrate the int8 activation ranges.")
    var calibrationImages: Int = 512

    @Option(help: "The data set's name for the model's provenance (default: the folder's name, or its parent's when it is 'train').")
    var datasetName: String?

    @Option(help: "The data set's licence, recorded in the model.")
    var licence: String?

    @Option(help: "The data set's credit line, recorded in the model.")
    var credit: String?

    static func defaultDatasetName(_ directory: String) -> String {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        return url.lastPathComponent == "train" ? url.deletingLastPathComponent().lastPathComponent : url.lastPathComponent
    }

    func validate() throws {
        if resume == nil {
            guard (arch == nil) != (spec == nil) else { throw ValidationError("give exactly one of --arch and --spec") }
            if let arch, NetworkSpec.preset(arch) == nil {
                throw ValidationError("unknown --arch '\(arch)' (built in: \(NetworkSpec.presetNames.joined(separator: ", ")))")
            }
        }
        if let input { _ = try Self.parseSize(input) }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive") }
        guard (0..<1).contains(valSplit) else { throw ValidationError("--val-split must be in [0, 1)") }
        guard (0..<1).contains(labelSmoothing) else { throw ValidationError("--label-smoothing must be in [0, 1)") }
        guard ["adam", "sgd"].contains(optimizer) else { throw ValidationError("--optimizer must be sgd or adam") }
        guard ["cosine", "step", "constant"].contains(schedule) else { throw ValidationError("--schedule must be cosine, step or constant") }
        guard threads >= 1, calibrationImages >= 1, patience >= 0, warmup >= 0, stepEpochs >= 1 else {
            throw ValidationError("--threads, --calibration-images and --step-epochs must be positive; --patience and --warmup not negative")
        }
        guard shift >= 0, rotation >= 0, brightness >= 0, (0..<1).contains(contrast) else {
            throw ValidationError("augmentation amounts must be non-negative (contrast below 1)")
        }
        guard out.hasSuffix(".curb") else { throw ValidationError("--out must name a .curb file") }
        let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--out: the folder \(directory) does not exist")
        }
    }

    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (8...1024).contains(width), (8...1024).contains(height) else {
            throw ValidationError("--input must be WxH with sides in 8...1024, e.g. 64x64 (got '\(text)')")
        }
        return (width, height)
    }

    /// The files written next to the model.
    struct Outputs {
        var model: String
        var base: String { String(model.dropLast(5)) }
        var checkpoint: String { base + ".checkpoint" }
        var curve: String { base + ".curve.png" }
        var confusion: String { base + ".confusion.png" }
    }

    func run() throws {
        OpenBLAS.setThreadCount(threads)
        let outputs = Outputs(model: out)
        let terminal = isatty(2) != 0
        let log = { (line: String) in printError(line) }

        // Settings come from the checkpoint when resuming, from the options otherwise.
        var networkSpec: NetworkSpec
        var configuration = TrainingConfiguration()
        var size: (width: Int, height: Int)
        var checkpoint: Checkpoint?
        if let resume {
            let loaded = try Self.failing { () throws(TrainingError) in try Checkpoint.read(from: resume) }
            let header = try Self.failing { () throws(TrainingError) in try Trainer.header(of: loaded) }
            networkSpec = header.spec
            configuration = header.configuration
            size = (header.inputWidth, header.inputHeight)
            if let input {
                let asked = try Self.parseSize(input)
                guard asked == size else {
                    throw CommandFailure(file: resume, "the checkpoint was trained at \(size.width)x\(size.height); --input \(input) does not match")
                }
            }
            checkpoint = loaded
        } else {
            if let arch {
                networkSpec = NetworkSpec.preset(arch)!
            } else {
                guard let data = FileManager.default.contents(atPath: spec!) else { throw CommandFailure(file: spec, "cannot read the spec file") }
                networkSpec = try Self.failing(file: spec) { () throws(TrainingError) in try NetworkSpec.parse(json: data) }
            }
            size = try Self.parseSize(input ?? "64x64")
            configuration.epochs = epochs
            configuration.batchSize = batch
            configuration.learningRate = lr
            configuration.optimizer = optimizer == "sgd" ? .sgd : .adam
            configuration.weightDecay = weightDecay
            configuration.schedule = TrainingConfiguration.ScheduleKind(rawValue: schedule)!
            configuration.warmupEpochs = warmup
            configuration.stepEpochs = stepEpochs
            configuration.labelSmoothing = labelSmoothing
            configuration.seed = seed
            configuration.validationFraction = valSplit
            configuration.patience = patience
            var augmentation = TrainingConfiguration.AugmentationSettings()
            augmentation.shift = noAugment ? 0 : shift
            augmentation.flip = !(noAugment || noFlip)
            augmentation.rotation = noAugment ? 0 : rotation
            augmentation.brightness = noAugment ? 0 : brightness
            augmentation.contrast = noAugment ? 0 : contrast
            configuration.augmentation = augmentation
        }

        let folder = try Self.failing { () throws(TrainingError) in try ImageFolder(directory: data) }
        let started = Date()
        let images = try Self.failing { () throws(TrainingError) in
            try ImageSet(entries: folder.entries, classNames: folder.classNames, width: size.width, height: size.height,
                         recipe: ModelExporter.recipe)
        }
        log("loaded \(images.count) images of \(folder.classNames.count) classes (\(folder.classNames.joined(separator: ", "))) "
            + "at \(size.width)x\(size.height) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        if !images.skipped.isEmpty {
            log("skipped \(images.skipped.count) unreadable image\(images.skipped.count == 1 ? "" : "s"):")
            for skipped in images.skipped { log("  \(skipped.path): \(skipped.reason)") }
        }
        let trainer = try Self.failing { () throws(TrainingError) in
            try Trainer(spec: networkSpec, configuration: configuration, images: images)
        }
        trainer.command = (["curbside-train"] + CommandLine.arguments.dropFirst().map(Self.shellQuoted)).joined(separator: " ")
        if let checkpoint {
            try Self.failing(file: resume) { () throws(TrainingError) in try trainer.resume(from: checkpoint) }
            log("resumed after epoch \(trainer.epochsCompleted) of \(configuration.epochs)")
        }
        log("\(networkSpec.name): \(trainer.network.parameterCount) parameters, \(String(format: "%.2f", Double(trainer.macs) / 1e6)) M MACs; "
            + "train \(trainer.split.training.count), validation \(trainer.split.validation.count) images; "
            + "\(trainer.batchesPerEpoch) batches of \(configuration.batchSize) per epoch")

        while !trainer.isFinished {
            let epochStart = Date()
            let epoch = trainer.epochsCompleted + 1
            let record = trainer.trainEpoch { batch, batches, loss, accuracy in
                guard terminal else { return }
                let elapsed = Date().timeIntervalSince(epochStart)
                let remaining = elapsed / Double(batch) * Double(batches - batch)
                    + elapsed / Double(batch) * Double(batches) * Double(configuration.epochs - epoch)
                let filled = batch * 24 / batches
                printError("\r\u{1B}[Kepoch \(epoch)/\(configuration.epochs) [\(String(repeating: "=", count: filled))\(String(repeating: " ", count: 24 - filled))] "
                           + String(format: "loss %.4f acc %.1f%% ETA %@", loss, accuracy * 100, Self.duration(remaining)), newline: false)
            }
            if terminal { printError("\r\u{1B}[K", newline: false) }
            log(String(format: "epoch %d/%d: loss %.4f acc %.2f%%, val loss %.4f acc %.2f%%, lr %.2e, %.1f s",
                       record.epoch, configuration.epochs, record.trainingLoss, record.trainingAccuracy * 100, record.validationLoss,
                       record.validationAccuracy * 100, record.learningRate, record.seconds))
            try Self.failing { () throws(TrainingError) in try trainer.checkpoint().write(to: outputs.checkpoint) }
            if trainer.stopped { log("early stop: no better validation accuracy for \(configuration.patience) epochs") }
        }

        trainer.restoreBest()
        log(String(format: "best validation accuracy %.2f%% at epoch %d; quantizing", trainer.bestValidationAccuracy * 100, trainer.bestEpoch))
        let command = trainer.command ?? ""
        let export = try Self.failing { () throws(TrainingError) in
            try ModelExporter.export(trainer: trainer, dataset: ModelExporter.DatasetInfo(name: datasetName ?? Self.defaultDatasetName(data),
                                                                                      licence: licence ?? "", credit: credit ?? ""),
                                     command: command, calibrationCount: calibrationImages, log: log)
        }
        do {
            try Data(export.bytes).write(to: URL(fileURLWithPath: out))
        } catch {
            throw CommandFailure(file: out, "cannot write the model (\(error.localizedDescription))")
        }
        log(String(format: "wrote %@: %d bytes, arena %d bytes; float validation %.2f%%, int8 %.2f%% (%@ ranges), agreement %.2f%%",
                   out, export.bytes.count, export.arenaBytes, export.floatAccuracy * 100, export.int8Accuracy * 100,
                   export.calibration, export.agreement * 100))
        do {
            try TrainingCharts.writeCurve(history: trainer.history, to: outputs.curve)
            try TrainingCharts.writeConfusion(export.confusion, labels: images.classNames, to: outputs.confusion)
        } catch {
            throw CommandFailure(error.message)
        }
        log("wrote \(outputs.curve) and \(outputs.confusion)")
    }

    /// The argument as a shell word (single-quoted when it holds anything but safe characters).
    static func shellQuoted(_ argument: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+")
        if !argument.isEmpty && argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    /// Runs `body`, turning a ``TrainingError`` into a one-line ``CommandFailure``.
    static func failing<T>(file: String? = nil, _ body: () throws(TrainingError) -> T) throws(CommandFailure) -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(file: file, error.message)
        }
    }
}
