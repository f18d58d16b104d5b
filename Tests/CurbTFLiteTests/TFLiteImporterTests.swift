import Foundation
import Testing
import CurbModel
@testable import CurbTFLite

/// The importer's mapping decisions (folds, defaults, overrides) and its refusals, each naming the operator.
/// Numerical exactness is the conformance suite's job (GoldenConformanceTests).
@Suite struct TFLiteImporterTests {
    static func golden(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: GoldenConformanceTests.golden.appendingPathComponent("models/\(name).tflite")))
    }

    static func importBytes(_ bytes: [UInt8], _ options: TFLiteImportOptions = TFLiteImportOptions()) throws -> TFLiteImport {
        try bytes.withUnsafeBytes { raw in try TFLiteImporter.importModel(try TFLiteReader.read(raw), fileBytes: raw, options: options) }
    }

    /// The import error of an in-memory TFLite model (nil when it imports).
    static func importError(_ built: InMemoryModel) -> TFLiteImportError? {
        built.bytes.withUnsafeBytes { raw -> TFLiteImportError? in
            do throws(TFLiteImportError) {
                _ = try TFLiteImporter.importModel(built.model, fileBytes: raw)
                return nil
            } catch { return error }
        }
    }

    // MARK: SHA-256

    @Test func sha256KnownAnswers() {
        // FIPS 180-2 appendix B examples (one block, two blocks) and the empty message.
        func hex(_ text: String) -> String { Array(text.utf8).withUnsafeBytes { SHA256.hexDigest($0) } }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    // MARK: Defaults and overrides

    @Test func defaultsForAnUnlabeledInt8Model() throws {
        let bytes = try Self.golden("conv-stride-pad")
        let metadata = try Self.importBytes(bytes).model.metadata
        #expect(metadata.name == "model")
        // Output [1, 3, 3, 5]: five classes, no label file.
        #expect(metadata.labels == ["class_0", "class_1", "class_2", "class_3", "class_4"])
        // Input scale 0.007842526771128178, zero point 0 (manifest): mean 128 + 0, std 1 / scale.
        let recipe = try #require(metadata.preprocessing)
        #expect(recipe.mean == [128, 128, 128])
        #expect(recipe.standardDeviation == [Float](repeating: 1 / Float(0.007842526771128178), count: 3))
        #expect(recipe.colorOrder == .rgb && recipe.resizeMode == .stretch && recipe.interpolation == .bilinear)
        // Python's hashlib, recorded in the manifest.
        #expect(metadata.provenance("source_sha256") == "3c0df78d2a4d09e07fd14063a4faea71e5f736d42f4c795c39a9fcae17970547")
    }

    @Test func labelsFromTheAppendedLabelFileAndRecipeFromTheInputQuantize() throws {
        let metadata = try Self.importBytes(try TestFiles.fixture("labeled.tflite"),
                                            TFLiteImportOptions(name: "tiny", sourceFileName: "labeled.tflite")).model.metadata
        #expect(metadata.name == "tiny" && metadata.provenance("source") == "labeled.tflite")
        #expect(metadata.labels == ["car", "bus", "truck", "bicycle"])
        // Float input read by QUANTIZE to tensor 8: scale bits 3b807f8f, zero point −128 (tiny.expected.txt).
        let recipe = try #require(metadata.preprocessing)
        #expect(recipe.mean == [0, 0, 0])
        #expect(recipe.standardDeviation == [Float](repeating: 1 / Float(bitPattern: 0x3b80_7f8f), count: 3))
    }

    @Test func optionsOverrideTheDefaults() throws {
        var options = TFLiteImportOptions(name: "custom", labels: ["a", "b", "c", "d"])
        options.colorOrder = .bgr
        options.resizeMode = .letterbox
        options.interpolation = .area
        options.mean = [1, 2, 3]
        options.standardDeviation = [4, 5, 6]
        let metadata = try Self.importBytes(try TestFiles.fixture("labeled.tflite"), options).model.metadata
        #expect(metadata.labels == ["a", "b", "c", "d"])
        #expect(metadata.preprocessing == PreprocessingRecipe(colorOrder: .bgr, resizeMode: .letterbox, interpolation: .area,
                                                              mean: [1, 2, 3], standardDeviation: [4, 5, 6]))
        options.labels = ["only", "three", "labels"]
        #expect(throws: TFLiteImportError.self) { try Self.importBytes(try TestFiles.fixture("labeled.tflite"), options) }
    }

    // MARK: Folds

    @Test func spaceToBatchChainBecomesOneDilatedConvolution() throws {
        let model = try Self.importBytes(try Self.golden("dilated-space-to-batch")).model
        #expect(model.operators.map(\.kind) == [.relu, .conv2D])
        guard case .conv2D(let options) = model.operators[1].options else { Issue.record("not a conv"); return }
        // Manifest: input 9x9, 3x3 filter, SPACE_TO_BATCH_ND block 2 → 4x7x7 (padded 14 = 2 + 9 + 3), VALID
        // conv → 5x5, BATCH_TO_SPACE_ND → 10 cropped to 9 (crop 0/1). Dilation 2; leading padding
        // 2 + 0·2 − 0 = 2; trailing 9 − 1 + 5 − 9 − 2 = 2 (SAME for a 5-wide effective window).
        #expect(options.dilationHeight == 2 && options.dilationWidth == 2)
        #expect(options.padding == Padding2D(top: 2, left: 2, bottom: 2, right: 2))
        #expect(model.tensors[Int(model.operators[0].outputs[0])].shape == TensorShape([1, 9, 9, 5]))
    }

    @Test func kerasDynamicFlattenBecomesStaticReshapes() throws {
        let model = try Self.importBytes(try Self.golden("keras-flatten-dynamic")).model
        #expect(model.operators.map(\.kind) == [.conv2D, .reshape, .fullyConnected, .reshape])
        #expect(model.tensors[Int(model.operators[1].outputs[0])].shape == TensorShape([1, 36]))
        #expect(model.tensors[Int(model.outputs[0])].shape == TensorShape([1, 2, 3]))
        #expect(model.tensors.allSatisfy { $0.type != .int32 || $0.isConstant })
    }

    // MARK: Refusals

    @Test func inMemoryBaselineImports() {
        #expect(Self.importError(InMemoryModel()) == nil)
    }

    @Test func refusesAsymmetricWeights() throws {
        var built = InMemoryModel()
        built.tensors[1].quantization = TFLiteQuantization(scale: [0.1], zeroPoint: [3])
        let error = try #require(Self.importError(built))
        #expect(error.operatorIndex == 0 && error.operatorName == "CONV_2D" && error.tensorIndex == 1)
        #expect(error.what.contains("zero point 3") && error.supported != nil)
    }

    @Test func refusesUInt8AndInt16Activations() throws {
        for type in [TFLiteTensorType.uint8, .int16] {
            var built = InMemoryModel()
            built.tensors[0].type = type
            let error = try #require(Self.importError(built))
            #expect(error.tensorIndex == 0 && error.what.contains(type.description), "\(error)")
        }
    }

    @Test func refusesDynamicDimensionsButTakesADynamicBatchAsDeclared() throws {
        var built = InMemoryModel()
        built.tensors[0].shapeSignature = [-1, 4, 4, 2]
        built.tensors[3].shapeSignature = [-1, 4, 4, 3]
        #expect(Self.importError(built) == nil)
        built.tensors[0].shapeSignature = [1, -1, 4, 2]
        let error = try #require(Self.importError(built))
        #expect(error.tensorIndex == 0 && error.what.contains("dynamic"))
    }

    @Test func refusesUnsupportedOperatorsByName() throws {
        var built = InMemoryModel()
        built.codes = [TFLiteOperatorCode(builtinCode: TFLiteBuiltinOperator(rawValue: 28))]  // TANH
        built.operators[0].builtinOptions = .none
        let error = try #require(Self.importError(built))
        #expect(error.operatorIndex == 0 && error.operatorName == "TANH")
        #expect(error.supported?.contains("CONV_2D") == true)
        #expect(error.description.hasPrefix("operator 0 (TANH): operator not supported; supported: "))
    }

    @Test func refusesAFusedTanh() throws {
        var built = InMemoryModel()
        built.operators[0].builtinOptions = .conv2D(TFLiteConv2DOptions(padding: .valid, strideWidth: 1, strideHeight: 1, activation: .tanh))
        let error = try #require(Self.importError(built))
        #expect(error.operatorName == "CONV_2D" && error.what.contains("tanh"))
    }

    @Test func refusesALoneSpaceToBatch() throws {
        var built = InMemoryModel()
        built.codes = [TFLiteOperatorCode(builtinCode: .spaceToBatchND)]
        built.operators[0].builtinOptions = .spaceToBatchND
        built.operators[0].inputs = [0, 2, 2]  // int32 operands (the bias), so the refusal is about the chain
        let error = try #require(Self.importError(built))
        #expect(error.operatorName == "SPACE_TO_BATCH_ND" && error.supported?.contains("BATCH_TO_SPACE_ND") == true)
    }

    /// Found by the fuzzer: a PAD whose padded extent exceeds Int32 trapped in PadOptions.validate.
    @Test func refusesAPadBeyondTheLargestDimension() throws {
        var built = InMemoryModel()
        // Paddings [4, 2] int32 at bytes 20..<52: axis 1 padded by 2^31 − 2 after.
        let paddings: [Int32] = [0, 0, 0, Int32.max - 1, 0, 0, 0, 0]
        built.bytes += paddings.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) } }
        built.extraBuffers = [20..<52]
        built.tensors[2] = TFLiteTensor(shape: [4, 2], type: .int32, buffer: 3, name: "paddings")
        built.tensors[3].shape = [1, 4, 4, 2]
        built.tensors[3].quantization = built.tensors[0].quantization
        built.codes = [TFLiteOperatorCode(builtinCode: .pad)]
        built.operators[0] = TFLiteOperator(opcodeIndex: 0, inputs: [0, 2], outputs: [3], builtinOptions: .pad)
        let error = try #require(Self.importError(built))
        #expect(error.operatorName == "PAD" && error.modelError != nil, "\(error)")
    }

    /// Found by the fuzzer: an output with 2^31 "classes" made the importer allocate as many default labels.
    @Test func writesNoLabelsForAnImplausibleClassCount() throws {
        var built = InMemoryModel()
        // PAD the channels from 2 to 2 + 2^20: far more classes than a model file holds labels for.
        let paddings: [Int32] = [0, 0, 0, 0, 0, 0, 0, 1 << 20]
        built.bytes += paddings.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) } }
        built.extraBuffers = [20..<52]
        built.tensors[2] = TFLiteTensor(shape: [4, 2], type: .int32, buffer: 3, name: "paddings")
        built.tensors[3].shape = [1, 4, 4, 2 + (1 << 20)]
        built.tensors[3].quantization = built.tensors[0].quantization
        built.codes = [TFLiteOperatorCode(builtinCode: .pad)]
        built.operators[0] = TFLiteOperator(opcodeIndex: 0, inputs: [0, 2], outputs: [3], builtinOptions: .pad)
        let imported = try built.bytes.withUnsafeBytes { try TFLiteImporter.importModel(built.model, fileBytes: $0) }
        #expect(imported.model.metadata.labels.isEmpty && imported.notes.count == 1)
    }

    @Test func refusesAMismatchedDeclaredShapeThroughTheValidator() throws {
        var built = InMemoryModel()
        built.tensors[3].shape = [1, 3, 3, 3]
        let error = try #require(Self.importError(built))
        #expect(error.operatorIndex == 0 && error.modelError != nil)
    }
}

/// A one-operator TFLite model built in memory (no flatbuffer): a 1x1 CONV_2D, int8 [1,4,4,2] → [1,4,4,3],
/// per-channel weights, int32 bias. Tests turn its knobs to reach each refusal.
struct InMemoryModel {
    /// Weights (6 int8 values) at 0..<6, bias (3 int32) at 8..<20.
    var bytes: [UInt8] = [1, 2, 3, 0xFF, 0xFE, 0x7F, 0, 0] + [10, 0, 0, 0, 0xF6, 0xFF, 0xFF, 0xFF, 0, 1, 0, 0]
    var tensors: [TFLiteTensor] = [
        TFLiteTensor(shape: [1, 4, 4, 2], type: .int8, name: "input", quantization: TFLiteQuantization(scale: [0.5], zeroPoint: [0])),
        TFLiteTensor(shape: [3, 1, 1, 2], type: .int8, buffer: 1, name: "weights",
                     quantization: TFLiteQuantization(scale: [0.1, 0.2, 0.3], zeroPoint: [0, 0, 0])),
        TFLiteTensor(shape: [3], type: .int32, buffer: 2, name: "bias",
                     quantization: TFLiteQuantization(scale: [0.05, 0.1, 0.15], zeroPoint: [0, 0, 0])),
        TFLiteTensor(shape: [1, 4, 4, 3], type: .int8, name: "output", quantization: TFLiteQuantization(scale: [0.25], zeroPoint: [-3])),
    ]
    var codes = [TFLiteOperatorCode(builtinCode: .conv2D)]
    /// Buffers 3… (ranges of `bytes`), for tests that add constants.
    var extraBuffers: [Range<Int>] = []
    var operators = [TFLiteOperator(opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3],
                                    builtinOptions: .conv2D(TFLiteConv2DOptions(padding: .valid, strideWidth: 1, strideHeight: 1)))]

    var model: TFLiteModel {
        TFLiteModel(version: 3, operatorCodes: codes,
                    subgraph: TFLiteSubGraph(tensors: tensors, inputs: [0], outputs: [3], operators: operators, name: nil),
                    description: nil,
                    buffers: [TFLiteBuffer(data: 0..<0), TFLiteBuffer(data: 0..<6), TFLiteBuffer(data: 8..<20)]
                        + extraBuffers.map { TFLiteBuffer(data: $0) },
                    metadata: [])
    }
}
