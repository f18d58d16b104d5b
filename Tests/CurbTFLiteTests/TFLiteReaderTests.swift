import Foundation
import Testing
@testable import CurbTFLite

/// Reading real models: the committed tiny fixture (checked field by field against TensorFlow's own Python
/// flatbuffer reader, see Fixtures/make_fixtures.py) and the peer models when `../shared` is present.
@Suite struct TFLiteReaderTests {
    static func read(_ bytes: [UInt8]) throws -> TFLiteModel {
        try bytes.withUnsafeBytes { try TFLiteReader.read($0) }
    }

    static func bits(_ value: Float) -> String {
        let hex = String(value.bitPattern, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The same text `describe()` in make_fixtures.py prints (keys sorted as in TF's Python object API).
    static func describe(_ model: TFLiteModel) -> [String] {
        let graph = model.subgraph
        func list<T>(_ values: [T]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        var lines = ["subgraph tensors=\(graph.tensors.count) operators=\(graph.operators.count) inputs=\(list(graph.inputs)) outputs=\(list(graph.outputs)) buffers=\(model.buffers.count)"]
        for (index, tensor) in graph.tensors.enumerated() {
            let q = tensor.quantization
            let scale = (q?.scale.isEmpty ?? true) ? "-" : list(q!.scale.map(bits))
            let zeroPoint = (q?.zeroPoint.isEmpty ?? true) ? "-" : list(q!.zeroPoint)
            lines.append("tensor \(index) type=\(tensor.type.rawValue) shape=\(list(tensor.shape)) buffer=\(tensor.buffer) bytes=\(model.buffers[tensor.buffer].data.count) scale=\(scale) zero_point=\(zeroPoint) dimension=\(q?.quantizedDimension ?? 0)")
        }
        for (index, op) in graph.operators.enumerated() {
            let options = op.builtinOptions
            var fields: [String] = []
            switch options {
            case .conv2D(let o):
                fields = ["dilationHFactor=\(o.dilationHeight)", "dilationWFactor=\(o.dilationWidth)",
                          "fusedActivationFunction=\(o.activation.rawValue)", "padding=\(o.padding.rawValue)",
                          "quantizedBiasType=\(o.quantizedBiasType.rawValue)", "strideH=\(o.strideHeight)", "strideW=\(o.strideWidth)"]
            case .depthwiseConv2D(let o):
                fields = ["depthMultiplier=\(o.depthMultiplier)", "dilationHFactor=\(o.dilationHeight)",
                          "dilationWFactor=\(o.dilationWidth)", "fusedActivationFunction=\(o.activation.rawValue)",
                          "padding=\(o.padding.rawValue)", "strideH=\(o.strideHeight)", "strideW=\(o.strideWidth)"]
            case .pool2D(let o):
                fields = ["filterHeight=\(o.filterHeight)", "filterWidth=\(o.filterWidth)",
                          "fusedActivationFunction=\(o.activation.rawValue)", "padding=\(o.padding.rawValue)",
                          "strideH=\(o.strideHeight)", "strideW=\(o.strideWidth)"]
            case .fullyConnected(let o):
                fields = ["asymmetricQuantizeInputs=\(o.asymmetricQuantizeInputs ? 1 : 0)",
                          "fusedActivationFunction=\(o.activation.rawValue)", "keepNumDims=\(o.keepNumDims ? 1 : 0)",
                          "quantizedBiasType=\(o.quantizedBiasType.rawValue)", "weightsFormat=\(o.weightsFormat)"]
            case .softmax(let beta): fields = ["beta=\(bits(beta))"]
            case .concatenation(let axis, let activation):
                fields = ["axis=\(axis)", "fusedActivationFunction=\(activation.rawValue)"]
            case .add(let activation, let pot):
                fields = ["fusedActivationFunction=\(activation.rawValue)", "potScaleInt16=\(pot ? 1 : 0)"]
            case .mul(let activation): fields = ["fusedActivationFunction=\(activation.rawValue)"]
            case .reducer(let keepDims): fields = ["keepDims=\(keepDims ? 1 : 0)"]
            default: break
            }
            let suffix = options.unionType == 0 ? "" : " " + fields.joined(separator: " ")
            lines.append("operator \(index) code=\(model.builtinOperator(ofOperator: index).rawValue) inputs=\(list(op.inputs)) outputs=\(list(op.outputs)) options=\(options.unionType)\(suffix)")
        }
        return lines
    }

    @Test func tinyFixtureMatchesTensorFlowsOwnReader() throws {
        let model = try Self.read(try TestFiles.fixture("tiny.int8.tflite"))
        let expected = String(decoding: try TestFiles.fixture("tiny.expected.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let found = Self.describe(model)
        #expect(found.count == expected.count)
        for (line, wanted) in zip(found, expected) { #expect(line == wanted) }
        // Spot checks by name, so a failure reads clearly.
        #expect(model.version == 3)
        #expect(model.description == "MLIR Converted.")
        #expect(model.subgraph.operators[12].inputs == [19, 3, -1])  // FULLY_CONNECTED without bias
        #expect(model.builtinOperator(ofOperator: 0) == .quantize)
        #expect(model.builtinOperator(ofOperator: 10) == .hardSwish)
        #expect(model.subgraph.tensors[4].quantization?.quantizedDimension == 3)  // depthwise weights
    }

    @Test func handMadeMiniModel() throws {
        let model = try Self.read(MiniModel().build().bytes)
        #expect(model.operatorCodes == [TFLiteOperatorCode(builtinCode: .conv2D)])
        #expect(model.subgraph.tensors.map(\.shape) == [[1, 2], [2, 2], [1, 2]])
        #expect(model.subgraph.tensors[1].name == "weights")
        #expect(model.buffers[1].data.count == 4)
        #expect(model.subgraph.operators[0].builtinOptions == .conv2D(TFLiteConv2DOptions(
            padding: .valid, strideWidth: 2, strideHeight: 2, activation: .relu6)))
    }

    /// An operator code above 127 lives only in the int32 field (the int8 one saturates at 127).
    @Test func extendedBuiltinCode() throws {
        var mini = MiniModel()
        mini.operatorCode = 150  // GELU, no options
        mini.optionsType = 0
        let model = try Self.read(mini.build().bytes)
        #expect(model.operatorCodes[0].builtinCode.rawValue == 150)
        #expect(model.operatorCodes[0].builtinCode.description == "BUILTIN_150")
    }

    @Test(.enabled(if: TestFiles.peerModelsPresent, "peer models absent (../shared/peers/models)"))
    func vehicleNetS() throws {
        let model = try Self.read(try TestFiles.peerModel("vehiclenet-s.int8.tflite"))
        let graph = model.subgraph
        #expect(model.operatorCodes.map(\.builtinCode) == [.conv2D, .depthwiseConv2D, .mean, .fullyConnected, .softmax])
        #expect(model.operatorCodes.map(\.version) == [3, 3, 2, 4, 2])
        #expect(graph.operators.count == 8)
        #expect(graph.tensors.count == 21)
        #expect(model.buffers.count == 24)
        #expect(model.metadata == [TFLiteMetadata(name: "min_runtime_version", buffer: 22),
                                   TFLiteMetadata(name: "CONVERSION_METADATA", buffer: 23)])
        let input = graph.tensors[graph.inputs[0]]
        #expect(graph.inputs == [0] && graph.outputs == [20])
        #expect(input.shape == [1, 64, 64, 3])
        #expect(input.type == .int8)
        #expect(input.quantization?.scale == [0.003921567])
        #expect(input.quantization?.zeroPoint == [-128])
        let output = graph.tensors[20]
        #expect(output.shape == [1, 8] && output.quantization?.scale == [0.00390625])
        let first = graph.operators[0]
        #expect(first.inputs == [0, 12, 11] && first.outputs == [13])
        #expect(first.builtinOptions == .conv2D(TFLiteConv2DOptions(padding: .same, strideWidth: 2, strideHeight: 2,
                                                                    activation: .relu)))
        let weights = graph.tensors[12]
        #expect(weights.shape == [16, 3, 3, 3] && weights.buffer == 13)
        #expect(model.buffers[13].data.count == 432)
        #expect(weights.quantization?.scale.count == 16 && weights.quantization?.zeroPoint == [Int64](repeating: 0, count: 16))
        #expect(graph.tensors[11].type == .int32 && graph.tensors[11].shape == [16])
        #expect(graph.operators[7].builtinOptions == .softmax(beta: 1))
    }

    @Test(.enabled(if: TestFiles.peerModelsPresent, "peer models absent (../shared/peers/models)"),
          arguments: [("mobilenetv2-035-96.int8.tflite", 96, 8, Int64(-1)), ("mobilenetv2-100-224.int8.tflite", 224, 1000, Int64(0))])
    func mobileNetV2(file: String, size: Int32, classes: Int32, inputZeroPoint: Int64) throws {
        let model = try Self.read(try TestFiles.peerModel(file))
        let graph = model.subgraph
        var counts: [TFLiteBuiltinOperator: Int] = [:]
        for index in graph.operators.indices { counts[model.builtinOperator(ofOperator: index), default: 0] += 1 }
        #expect(counts == [.conv2D: 35, .depthwiseConv2D: 17, .add: 10, .mean: 1, .fullyConnected: 1, .softmax: 1])
        #expect(graph.tensors.count == 172)
        #expect(graph.tensors[0].shape == [1, size, size, 3])
        #expect(graph.tensors[0].quantization?.zeroPoint == [inputZeroPoint])
        #expect(graph.tensors[171].shape == [1, classes])
        #expect(graph.operators[0].builtinOptions == .conv2D(TFLiteConv2DOptions(padding: .same, strideWidth: 2,
                                                                                 strideHeight: 2, activation: .relu6)))
    }
}
