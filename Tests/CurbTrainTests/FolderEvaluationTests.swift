import CurbModel
import CurbPipeline
import CurbToolSupport
import Foundation
import Testing
@testable import CurbTrain
@testable import curbside_train

@Suite(.serialized) struct FolderEvaluationTests {
    /// evaluate's confusion matrix equals counting FrameClassifier's (classify's) labels image by image, and
    /// a corrupt file is skipped and listed rather than fatal.
    @Test func agreesWithCountingClassifyResults() throws {
        OpenBLAS.setThreadCount(1)
        let root = SyntheticFolder.make(perClass: 10)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let trainer = try SyntheticFolder.trainer(directory: root, epochs: 2)
        while !trainer.isFinished { trainer.trainEpoch() }
        let export = try ModelExporter.export(trainer: trainer, dataset: .init(name: "bars"), command: "test", calibrationCount: 16)
        TestImages.write(Array("garbage".utf8), to: root + "/none/broken.png")

        let evaluation = try FolderEvaluation(model: export.model, directory: root)
        #expect(evaluation.skipped.map { ($0.path as NSString).lastPathComponent } == ["broken.png"])
        let classifier = try FrameClassifier(model: export.model)
        var counted = [[Int]](repeating: [0, 0, 0], count: 3)
        var images = 0
        for (label, name) in SyntheticFolder.classes.enumerated() {
            for file in try FileManager.default.contentsOfDirectory(atPath: root + "/" + name) where file != "broken.png" {
                let result = try classifier.classify(path: root + "/" + name + "/" + file)
                counted[label][SyntheticFolder.classes.firstIndex(of: result.label)!] += 1
                images += 1
            }
        }
        #expect(evaluation.confusion == counted)
        #expect(evaluation.images == images)
        let json = EvaluateCommand.json(evaluation).serialized()
        for key in ["\"accuracy\"", "\"images\"", "\"labels\"", "\"per_class\"", "\"confusion\"", "\"skipped\""] { #expect(json.contains(key)) }

        // The validation selection scores exactly the trainer's validation split (same seed and fraction).
        try FileManager.default.removeItem(atPath: root + "/none/broken.png")
        let validation = try FolderEvaluation(model: export.model, directory: root, selection: .validation(seed: 3, fraction: 0.25))
        let expectedPaths = trainer.split.validation.map { trainer.images.paths[$0] }
        #expect(validation.results.map(\.path) == expectedPaths)
        let int8 = try ModelExporter.predict(model: export.model, images: trainer.images, indices: trainer.split.validation)
        #expect(validation.results.map(\.predicted) == int8)
    }

    @Test func badFoldersGiveClearErrors() throws {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let image = TestImages.png(width: 2, height: 2, pixels: [UInt8](repeating: 100, count: 12))
        TestImages.write(image, to: root + "/single/a.png")
        #expect(throws: TrainingError("\(root): only one class folder ('single'); a classifier needs at least two")) {
            try ImageFolder(directory: root)
        }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        #expect(throws: TrainingError("\(root): class folder 'empty' has no images")) { try ImageFolder(directory: root) }
    }

    /// Resuming with a different --input than the checkpoint's is refused with a one-line message.
    @Test func mismatchedInputIsRefused() throws {
        let root = SyntheticFolder.make(perClass: 6)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let trainer = try SyntheticFolder.trainer(directory: root, epochs: 1)
        try trainer.checkpoint().write(to: root + "/m.checkpoint")
        let command = try TrainCommand.parse(["--data", root, "--resume", root + "/m.checkpoint", "--input", "32x32", "--out", root + "/m.curb"])
        do {
            try command.run()
            Issue.record("resuming with another --input succeeded")
        } catch let failure as CommandFailure {
            #expect(failure.message == "the checkpoint was trained at 16x16; --input 32x32 does not match")
        }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["--data", root, "--arch", "vehiclenet", "--input", "64", "--out", root + "/m.curb"]) }
    }
}

