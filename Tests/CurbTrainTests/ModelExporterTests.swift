import CurbModel
import CurbRuntime
import Foundation
import Testing
@testable import CurbTrain

@Suite(.serialized) struct ModelExporterTests {
    /// Train a tiny net on the synthetic bars, export to int8, read the written bytes back and run them
    /// through the Interpreter: the int8 argmax must match the float model's on the validation images.
    @Test func exportedFileMatchesTheFloatModel() throws {
        OpenBLAS.setThreadCount(1)
        let root = SyntheticFolder.make(perClass: 40)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let trainer = try SyntheticFolder.trainer(directory: root, epochs: 12)
        while !trainer.isFinished { trainer.trainEpoch() }
        trainer.restoreBest()
        let result = try ModelExporter.export(trainer: trainer, dataset: .init(name: "bars", licence: "CC0", credit: "test"),
                                              command: "test", calibrationCount: 40)
        // The float model must have learned something for the comparison to mean anything.
        #expect(result.floatAccuracy >= 0.8)
        #expect(result.agreement >= 0.94)
        #expect(abs(result.int8Accuracy - result.floatAccuracy) <= 0.06)
        // The written file, independently re-read, predicts the float model's classes.
        let model = try ModelReader.read(result.bytes)
        let float = trainer.evaluate(indices: trainer.split.validation).predictions
        let int8 = try ModelExporter.predict(model: model, images: trainer.images, indices: trainer.split.validation)
        let agreeing = zip(float, int8).filter { $0 == $1 }.count
        #expect(Double(agreeing) / Double(float.count) >= 0.94)
        #expect(model.metadata.labels == SyntheticFolder.classes)
        #expect(model.metadata.preprocessing == .unitRange)
        #expect(model.metadata.provenance("licence") == "CC0")
        #expect(model.metadata.provenance("int8_accuracy") != nil)
        // conv, depthwise, maxpool, conv, mean + reshape, FC, softmax.
        #expect(model.operators.map(\.kind) == [.conv2D, .depthwiseConv2D, .maxPool2D, .conv2D, .mean, .reshape, .fullyConnected, .softmax])
    }

    /// Hand-worked: channel 0 holds (0.5, −1.27) → scale 1.27/127 = 0.01, q = (50, −127); channel 1 is all
    /// zeros → scale 1, q = 0. Bias 0.3 with s_in 0.1, s_w 0.01 → 0.3 / 0.001 = 300.
    @Test func weightsAndBiasQuantizePerChannel() {
        let (values, scales) = ModelExporter.quantizeWeights([0.5, -1.27, 0, 0], channels: 2, channelIsLastAxis: false)
        #expect(values == [50, -127, 0, 0])
        #expect(abs(scales[0] - 0.01) < 1e-7 && scales[1] == 1)
        // Last-axis channels (depthwise [1, H, W, C]): values alternate channels.
        let (depthwise, depthwiseScales) = ModelExporter.quantizeWeights([0.5, 0, -1.27, 0], channels: 2, channelIsLastAxis: true)
        #expect(depthwise == [50, 0, -127, 0] && depthwiseScales[1] == 1)
        #expect(ModelExporter.quantizeBias([0.3], inputScale: 0.1, filterScales: [0.01]) == [300])
    }

    /// [0, 6] → scale 6/255, zero point −128 (ReLU6); [−1, 3] → scale 4/255, zp round(−128 + 63.75) = −64.
    @Test func activationRangesQuantizeAsymmetrically() {
        let relu6 = ActivationCalibration.quantization(low: 0, high: 6)
        #expect(relu6.scale == 6.0 / 255 && relu6.zeroPoint == -128)
        let signed = ActivationCalibration.quantization(low: -1, high: 3)
        #expect(abs(signed.scale - 4.0 / 255) < 1e-9 && signed.zeroPoint == -64)
    }
}
