import Foundation
import Testing
@testable import CurbTrain

@Suite struct NetworkSpecTests {
    func parse(_ text: String) throws(TrainingError) -> NetworkSpec { try NetworkSpec.parse(json: Data(text.utf8)) }

    @Test func parsesEveryLayerKind() throws {
        let spec = try parse("""
            {"name": "mine", "layers": [
              {"type": "conv2d", "filters": 8, "kernel": 3, "stride": 2, "padding": "same", "bias": false},
              {"type": "batchnorm"}, {"type": "relu6"}, {"type": "depthwise_conv2d"}, {"type": "relu"},
              {"type": "maxpool", "pool": 2}, {"type": "avgpool", "pool": 2, "stride": 1}, {"type": "global_avgpool"},
              {"type": "dense", "units": 16}, {"type": "dropout", "rate": 0.5}, {"type": "dense"}]}
            """)
        #expect(spec.name == "mine" && spec.layers.count == 11 && spec.layers[0].filters == 8 && spec.layers[0].bias == false)
        let built = try spec.build(height: 16, width: 16, classes: 4, seed: 1)
        #expect(built.shapes.last == [1, 4])
        // MACs by hand: conv 8x8x8 outputs · 27 taps = 13824; depthwise 8x8x8 · 9 = 4608; dense 8·16 = 128 and 16·4 = 64.
        #expect(built.macs == 13824 + 4608 + 128 + 64)
        // The JSON the checkpoint stores parses back to the same spec.
        #expect(try NetworkSpec.parse(json: spec.jsonData()) == spec)
    }

    @Test func errorsNameTheLayer() {
        #expect(throws: TrainingError("spec: layer 1: unknown layer type 'conv3d' (known: conv2d, depthwise_conv2d, batchnorm, relu, relu6, maxpool, avgpool, global_avgpool, flatten, dense, dropout)")) {
            try parse(#"{"layers": [{"type": "relu"}, {"type": "conv3d"}]}"#)
        }
        #expect(throws: TrainingError("spec: layer 0 (conv2d): unknown key 'filter'")) {
            try parse(#"{"layers": [{"type": "conv2d", "filter": 3}]}"#)
        }
        #expect(throws: TrainingError("spec: layer 0 (conv2d): 'filters' is required")) { try parse(#"{"layers": [{"type": "conv2d"}]}"#) }
        #expect(throws: TrainingError("spec: layer 0 (dropout): 'rate' must be a number in [0, 1)")) {
            try parse(#"{"layers": [{"type": "dropout", "rate": 2}]}"#)
        }
        #expect(throws: TrainingError("spec: 'layers' must be a non-empty array")) { try parse(#"{"layers": []}"#) }
        #expect(throws: TrainingError.self) { try parse("not json") }
    }

    @Test func impossibleShapesAreReported() throws {
        let tooBig = try parse(#"{"layers": [{"type": "conv2d", "filters": 4, "kernel": 9, "padding": "valid"}, {"type": "global_avgpool"}, {"type": "dense"}]}"#)
        #expect(throws: TrainingError("spec: layer 0 (conv2d): Conv2D: a 9x9 window does not fit the 8x8 input")) {
            try tooBig.build(height: 8, width: 8, classes: 2, seed: 1)
        }
        let unflattened = try parse(#"{"layers": [{"type": "conv2d", "filters": 4}, {"type": "dense"}]}"#)
        #expect(throws: TrainingError("spec: layer 1 (dense): input [1, 8, 8, 4] is not flat (add 'flatten' or 'global_avgpool' first)")) {
            try unflattened.build(height: 8, width: 8, classes: 2, seed: 1)
        }
        let wrongClasses = try parse(#"{"layers": [{"type": "flatten"}, {"type": "dense", "units": 5}]}"#)
        #expect(throws: TrainingError("spec: the last dense layer has 5 units but the data have 2 classes")) {
            try wrongClasses.build(height: 8, width: 8, classes: 2, seed: 1)
        }
    }

    @Test func presetsFitTheirBudgets() throws {
        let vehicle = try NetworkSpec.vehicleNet.build(height: 64, width: 64, classes: 6, seed: 1)
        #expect(vehicle.macs <= 6_000_000)
        let cifar = try NetworkSpec.cifar10.build(height: 32, width: 32, classes: 10, seed: 1)
        // Keras's example at 32x32: flatten of 6x6x64 = 2304 into dense 512.
        #expect((cifar.network.layers[13] as? Dense)?.inputs == 2304)
    }
}
