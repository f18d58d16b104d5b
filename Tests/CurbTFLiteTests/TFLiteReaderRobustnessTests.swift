import Testing
import CurbTestKit
@testable import CurbTFLite

/// Hostile and damaged inputs: every one is refused with a `TFLiteError` or read as a well-formed model;
/// none traps, hangs or allocates without bound.
@Suite struct TFLiteReaderRobustnessTests {
    enum Outcome { case accepted(TFLiteModel), refused(TFLiteError) }

    static func outcome(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        do { return .accepted(try TFLiteReader.read(bytes)) } catch { return .refused(error) }
    }

    static func error(_ mini: MiniModel) -> TFLiteError? {
        mini.build().withBytes { if case .refused(let error) = outcome($0) { error } else { nil } }
    }

    /// What "well-formed" promises to the importer: every index in range, every range inside the file.
    /// (Plain checks, one `#expect` per model: `#expect` per element would dominate the run time.)
    static func checkInvariants(_ model: TFLiteModel, byteCount: Int) {
        #expect(isWellFormed(model, byteCount: byteCount), "accepted model breaks the reader's promises")
    }

    static func isWellFormed(_ model: TFLiteModel, byteCount: Int) -> Bool {
        let graph = model.subgraph
        let tensorRange = 0..<graph.tensors.count
        guard model.version == 3 else { return false }
        for buffer in model.buffers where buffer.data.lowerBound < 0 || buffer.data.upperBound > byteCount { return false }
        for tensor in graph.tensors {
            guard tensor.buffer >= 0, tensor.buffer < model.buffers.count,
                  tensor.shape.count <= TFLiteReader.maximumRank else { return false }
        }
        for index in graph.inputs + graph.outputs where !tensorRange.contains(index) { return false }
        for op in graph.operators {
            guard op.opcodeIndex >= 0, op.opcodeIndex < model.operatorCodes.count else { return false }
            for index in op.inputs where index != -1 && !tensorRange.contains(index) { return false }
            for index in op.outputs where !tensorRange.contains(index) { return false }
        }
        for entry in model.metadata where entry.buffer < 0 || entry.buffer >= model.buffers.count { return false }
        return true
    }

    /// Every prefix of a model: each is refused or read consistently (a prefix that still holds every
    /// referenced byte is a valid model). One allocation; prefixes are views into it.
    static func checkEveryTruncation(_ file: [UInt8]) -> (refused: Int, accepted: Int) {
        var refused = 0, accepted = 0
        file.withUnsafeBytes { whole in
            for length in 0..<whole.count {
                switch outcome(UnsafeRawBufferPointer(rebasing: whole[0..<length])) {
                case .refused: refused += 1
                case .accepted(let model):
                    accepted += 1
                    checkInvariants(model, byteCount: length)
                }
            }
        }
        return (refused, accepted)
    }

    @Test func everyTruncationOfTheTinyFixture() throws {
        let file = try TestFiles.fixture("tiny.int8.tflite")
        let result = Self.checkEveryTruncation(file)
        #expect(result.refused + result.accepted == file.count)
        #expect(result.refused > 0)
    }

    @Test(.enabled(if: TestFiles.peerModelsPresent, "peer models absent (../shared/peers/models)"))
    func everyTruncationOfVehicleNetS() throws {
        let file = try TestFiles.peerModel("vehiclenet-s.int8.tflite")
        let result = Self.checkEveryTruncation(file)
        #expect(result.refused + result.accepted == file.count)
        #expect(result.refused > 0)
    }

    /// Seeded mutations (1–4 bytes each, set to a random value or to a boundary value), aimed
    /// outside the constant data so they hit the flatbuffer's structure.
    static func checkMutations(_ file: [UInt8], seed: UInt64, count: Int) throws -> (refused: Int, accepted: Int) {
        let model = try file.withUnsafeBytes { try TFLiteReader.read($0) }
        var structural = Array(repeating: true, count: file.count)
        for buffer in model.buffers { for index in buffer.data { structural[index] = false } }
        let targets = structural.indices.filter { structural[$0] }
        var generator = SeededGenerator(seed: seed)
        var mutated = file
        var refused = 0, accepted = 0
        let boundaries: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01]
        for _ in 0..<count {
            var changed: [Int] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = targets.randomElement(using: &generator)!
                changed.append(position)
                mutated[position] = Bool.random(using: &generator)
                    ? UInt8.random(in: 0...255, using: &generator) : boundaries.randomElement(using: &generator)!
            }
            mutated.withUnsafeBytes { bytes in
                switch outcome(bytes) {
                case .refused: refused += 1
                case .accepted(let model):
                    accepted += 1
                    checkInvariants(model, byteCount: bytes.count)
                }
            }
            for position in changed { mutated[position] = file[position] }
        }
        return (refused, accepted)
    }

    /// The always-available stand-in when the peer models are absent (fewer runs: debug builds read a model
    /// in about 0.2 ms, mostly generic-metadata lookups of unspecialized code).
    @Test func twentyThousandMutationsOfTheTinyFixture() throws {
        let result = try Self.checkMutations(try TestFiles.fixture("tiny.int8.tflite"), seed: 0x7F17E, count: 20_000)
        #expect(result.refused > 1000 && result.accepted > 1000)  // both paths exercised
    }

    @Test(.enabled(if: TestFiles.peerModelsPresent, "peer models absent (../shared/peers/models)"))
    func hundredThousandMutationsOfVehicleNetS() throws {
        let result = try Self.checkMutations(try TestFiles.peerModel("vehiclenet-s.int8.tflite"), seed: 0x5EED,
                                             count: 100_000)
        #expect(result.refused > 1000 && result.accepted > 1000)
    }

    // MARK: Hand-made hostile models, each with its specific error.

    @Test func wrongSchemaVersion() {
        var mini = MiniModel()
        mini.version = 2
        #expect(Self.error(mini)?.code == .unsupportedVersion)
    }

    @Test func subgraphCountMustBeOne() {
        var two = MiniModel()
        two.subgraphCount = 2
        let error = Self.error(two)
        #expect(error?.code == .unsupportedModel)
        #expect(error?.what == "model has 2 subgraphs; Curbside imports exactly one")
        var none = MiniModel()
        none.subgraphCount = 0
        #expect(Self.error(none)?.what == "model has 0 subgraphs; Curbside imports exactly one")
    }

    @Test func tensorBufferIndexOutOfRange() {
        var mini = MiniModel()
        mini.tensorBuffer = 2
        let error = Self.error(mini)
        #expect(error?.code == .badIndex)
        #expect(error?.tensorIndex == 1 && error?.table == "Tensor" && error?.field == "buffer")
        #expect(error?.expected == "0...1")
    }

    @Test func operatorIndicesOutOfRange() {
        var opcode = MiniModel()
        opcode.opcodeIndex = 1
        let opcodeError = Self.error(opcode)
        #expect(opcodeError?.code == .badIndex && opcodeError?.operatorIndex == 0 && opcodeError?.field == "opcode_index")
        var input = MiniModel()
        input.operatorInputs = [0, 3]
        let inputError = Self.error(input)
        #expect(inputError?.code == .badIndex && inputError?.operatorIndex == 0 && inputError?.field == "inputs")
        var negative = MiniModel()
        negative.operatorInputs = [0, -2]
        #expect(Self.error(negative)?.code == .badIndex)
        var optional = MiniModel()
        optional.operatorInputs = [0, 1, -1]  // -1 = absent optional input: fine
        #expect(Self.error(optional) == nil)
    }

    @Test func constantDataMustMatchTheShape() {
        var mini = MiniModel()
        mini.weightCount = 5  // [2, 2] int8 needs 4 bytes
        let error = Self.error(mini)
        #expect(error?.code == .invalidValue && error?.tensorIndex == 1 && error?.expected == "4 bytes")
    }

    @Test func dataOutsideTheFlatbufferIsRefused() {
        var mini = MiniModel()
        mini.bufferOffset = 4096
        let error = Self.error(mini)
        #expect(error?.code == .unsupportedModel && error?.table == "Buffer" && error?.field == "offset")
    }

    @Test func optionsMustMatchTheOperator() {
        var mini = MiniModel()
        mini.optionsType = 5  // Pool2DOptions on a CONV_2D
        let error = Self.error(mini)
        #expect(error?.code == .invalidValue && error?.what == "CONV_2D carries Pool2DOptions")
        #expect(error?.expected == "Conv2DOptions" && error?.operatorIndex == 0)
    }

    @Test func unknownEnumerationsInOptions() {
        var padding = MiniModel()
        padding.optionsFields = [.u8(0, 2)]
        let error = Self.error(padding)
        #expect(error?.code == .unknownEnumeration && error?.field == "padding" && error?.table == "Conv2DOptions")
        var activation = MiniModel()
        activation.optionsFields = [.u8(3, 9)]
        #expect(Self.error(activation)?.field == "fused_activation_function")
    }

    /// An absent options table reads as the schema defaults (dilation 1), as TFLite's parsers do.
    @Test func absentOptionFieldsTakeSchemaDefaults() throws {
        var mini = MiniModel()
        mini.optionsFields = []
        let model = try mini.build().withBytes { try TFLiteReader.read($0) }
        #expect(model.subgraph.operators[0].builtinOptions == .conv2D(TFLiteConv2DOptions(
            padding: .same, strideWidth: 0, strideHeight: 0, activation: .none, dilationWidth: 1, dilationHeight: 1)))
    }

    @Test func invalidTensorName() {
        var mini = MiniModel()
        mini.tensorName = [0x77, 0xC0, 0xAF]  // overlong encoding of "/"
        let error = Self.error(mini)
        #expect(error?.code == .invalidUTF8 && error?.tensorIndex == 1 && error?.field == "name")
    }
}
