import Foundation
import Testing
@testable import CurbTrain

@Suite(.serialized) struct TrainerTests {
    /// Three epochs in one go, or one epoch, a checkpoint written to disk and read by a fresh trainer, then
    /// two more: every weight, statistic and optimizer moment must be identical (same seed, one thread).
    @Test func resumingFromACheckpointContinuesExactly() throws {
        OpenBLAS.setThreadCount(1)
        let root = SyntheticFolder.make(perClass: 12)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let uninterrupted = try SyntheticFolder.trainer(directory: root, epochs: 3)
        while !uninterrupted.isFinished { uninterrupted.trainEpoch() }

        let first = try SyntheticFolder.trainer(directory: root, epochs: 3)
        first.trainEpoch()
        let path = root + "/run.checkpoint"
        try first.checkpoint().write(to: path)
        let resumed = try SyntheticFolder.trainer(directory: root, epochs: 3)
        try resumed.resume(from: try Checkpoint.read(from: path))
        #expect(resumed.epochsCompleted == 1)
        while !resumed.isFinished { resumed.trainEpoch() }

        // Tensors exactly; the header differs only in the epochs' wall-clock seconds.
        let resumedTensors = resumed.checkpoint().tensors, uninterruptedTensors = uninterrupted.checkpoint().tensors
        #expect(resumedTensors.map(\.name) == uninterruptedTensors.map(\.name))
        #expect(zip(resumedTensors, uninterruptedTensors).allSatisfy { $0.values == $1.values })
        #expect(resumed.history.map(\.validationLoss) == uninterrupted.history.map(\.validationLoss))
        #expect(resumed.history.map(\.trainingLoss) == uninterrupted.history.map(\.trainingLoss))
        // Not vacuous: training moved the weights away from the initial ones.
        let fresh = try SyntheticFolder.trainer(directory: root, epochs: 3)
        #expect(fresh.networkState().map(\.values) != uninterrupted.networkState().map(\.values))
    }

    @Test func checkpointBytesRoundTripAndDamageIsReported() throws {
        let checkpoint = Checkpoint(header: Data("{}".utf8), tensors: [("a", [1, -2.5]), ("b", [])])
        let bytes = checkpoint.encoded()
        #expect(try Checkpoint.decode(bytes) == checkpoint)
        #expect(throws: TrainingError("checkpoint: truncated in tensor a")) { try Checkpoint.decode(Array(bytes.prefix(bytes.count - 17))) }
        var bad = bytes
        bad[0] = 0
        #expect(throws: TrainingError("checkpoint: not a Curbside checkpoint (bad magic)")) { try Checkpoint.decode(bad) }
    }

    @Test func earlyStoppingStopsAfterThePatience() throws {
        let root = SyntheticFolder.make(perClass: 8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try ImageFolder(directory: root)
        let images = try ImageSet(entries: folder.entries, classNames: folder.classNames, width: 16, height: 16, recipe: ModelExporter.recipe)
        var configuration = TrainingConfiguration()
        configuration.epochs = 50
        configuration.learningRate = 1e-9  // next to nothing is learnt, so improvements soon stop
        configuration.patience = 2
        configuration.validationFraction = 0.25
        let trainer = try Trainer(spec: SyntheticFolder.spec, configuration: configuration, images: images)
        while !trainer.isFinished { trainer.trainEpoch() }
        #expect(trainer.stopped)
        #expect(trainer.epochsCompleted == trainer.bestEpoch + 2)
        let improvements = trainer.history.map(\.validationAccuracy)
        #expect(improvements.suffix(2).allSatisfy { $0 <= trainer.bestValidationAccuracy })
    }
}
