@testable import CurbModel
import CurbTestKit
import Testing

/// Hostile and damaged files: each must be refused with a located ``ModelError`` (or, for harmless
/// damage, read as a model that is itself valid) — never a trap, hang or file-sized allocation.
@Suite struct ModelReaderRobustnessTests {
    typealias ID = ModelFileFormat.SectionID

    static let sample = SampleModels.convNet()
    static let sampleFile = try! ModelWriter.write(sample)

    static func read(_ bytes: [UInt8], verifyChecksum: Bool = true) -> ModelError? {
        modelError { () throws(ModelError) in try ModelReader.read(bytes, verifyChecksum: verifyChecksum) }
    }

    static func read(_ model: Model) -> ModelError? { read(FileBuilder(model).bytes) }

    // MARK: Truncation and random damage

    @Test func everyTruncationIsRefused() {
        let file = Self.sampleFile
        for length in 0..<file.count {
            let error = Self.read(Array(file[0..<length]))
            #expect(error?.code == .truncated, "length \(length): \(String(describing: error))")
        }
    }

    /// Shortening any one section (table and CRC kept consistent) reaches the section parsers' own checks.
    @Test func everyTruncatedSectionIsRefused() {
        let builder = FileBuilder(Self.sample)
        for id in ID.allCases {
            let content = builder.content(id)
            for length in 0..<content.count {
                var file = builder
                file.replace(id, with: Array(content[0..<length]))
                let error = Self.read(file.bytes)
                #expect(error != nil, "\(id) cut to \(length) bytes was accepted")
                if let error, id != .constants { #expect(error.section == id.name, "\(id) cut to \(length): \(error)") }
            }
        }
    }

    /// 100,000 seeded cases of 1–8 random bytes changed anywhere, CRC re-sealed: each is refused with a
    /// ModelError, or accepted as a model that re-validates. Run as four parallel chunks of 25,000, lean
    /// per case (one reused buffer, damage undone in place) so it takes seconds in a debug build.
    @Test(arguments: 0..<4) func randomMutationsAreRefusedOrValid(chunk: Int) throws {
        var random = SeededGenerator(seed: 0x5EED_C0DE &+ UInt64(chunk))
        let base = Self.sampleFile
        let cases = 25_000
        var accepted = 0
        var codes: [String: Int] = [:]
        var file = base
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<cases {
            let changes = Int.random(in: 1...8, using: &random)
            var positions: [Int] = []
            for _ in 0..<changes {
                let position = Int.random(in: 0..<base.count, using: &random)
                positions.append(position)
                file[position] = UInt8.random(in: 0...255, using: &random)
            }
            file.reseal()
            do {
                let model = try ModelReader.read(file)
                accepted += 1
                try ModelValidator.validate(model)
            } catch {
                codes[error.code.description, default: 0] += 1
            }
            for position in positions { file[position] = base[position] }
        }
        let elapsed = clock.now - start
        print("mutation chunk \(chunk): \(cases) cases, \(accepted) accepted, refused by code: \(codes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \(elapsed)")
        #expect(accepted + codes.values.reduce(0, +) == cases)
        #expect(codes.count >= 5)  // damage reached many different checks
    }

    // MARK: Header and section table

    @Test func badMagic() {
        var file = Self.sampleFile
        file[0] = UInt8(ascii: "P")
        let error = Self.read(file)
        #expect(error?.code == .badMagic)
        #expect(error?.field == "magic")
    }

    @Test func futureMajorVersionIsRefusedByName() {
        var builder = FileBuilder(Self.sample)
        builder.major = 2
        builder.minor = 3
        let error = Self.read(builder.bytes)
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.field == "version_major")
        #expect(error?.message.contains("2.3") == true)
    }

    @Test func checksumMismatch() {
        var file = Self.sampleFile
        file[file.count - 1] ^= 0x80
        let error = Self.read(file)
        #expect(error?.code == .checksumMismatch)
        #expect(error?.field == "checksum")
    }

    @Test func declaredSizeMustMatch() {
        var longer = Self.sampleFile
        longer.patch(UInt64(longer.count + 64), at: ModelFileFormat.fileSizeOffset)
        longer.reseal()
        #expect(Self.read(longer)?.code == .truncated)

        var trailing = Self.sampleFile + [UInt8](repeating: 0, count: 64)
        trailing.reseal()
        let error = Self.read(trailing)
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "file_size")
    }

    @Test func hugeSectionCount() {
        var file = Self.sampleFile
        file.patch(UInt32.max, at: ModelFileFormat.sectionCountOffset)
        file.reseal()
        let error = Self.read(file)
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "section_count")
    }

    /// Patches field `fieldOffset` (8 = offset, 16 = length) of section-table entry `entry`.
    static func patchEntry<T: FixedWidthInteger>(_ entry: Int, _ fieldOffset: Int, _ value: T) -> [UInt8] {
        var file = sampleFile
        file.patch(value, at: ModelFileFormat.headerSize + entry * ModelFileFormat.sectionEntrySize + fieldOffset)
        file.reseal()
        return file
    }

    @Test func sectionOffsetsAndLengths() {
        let misaligned = Self.read(Self.patchEntry(0, 8, UInt64(Self.sampleFile.count - 32)))
        #expect(misaligned?.code == .badAlignment)
        #expect(misaligned?.field == "offset")

        let past = Self.read(Self.patchEntry(0, 8, UInt64(Self.sampleFile.count + 64)))
        #expect(past?.code == .outOfBounds)
        #expect(past?.field == "offset")

        let intoHeader = Self.read(Self.patchEntry(1, 8, UInt64(0)))
        #expect(intoHeader?.code == .outOfBounds)

        let long = Self.read(Self.patchEntry(2, 16, UInt64.max))
        #expect(long?.code == .outOfBounds)
        #expect(long?.field == "length")
    }

    @Test func overlappingSections() {
        // Entry 1 (tensors) made to start where entry 0 (graph) does.
        let graphOffset = (0..<8).reduce(0) { $0 | Int(Self.sampleFile[64 + 8 + $1]) << (8 * $1) }
        let error = Self.read(Self.patchEntry(1, 8, UInt64(graphOffset)))
        #expect(error?.code == .outOfBounds)
        #expect(error?.message.contains("overlap") == true)
    }

    @Test func duplicateAndMissingSections() {
        var duplicate = FileBuilder(Self.sample)
        duplicate.sections.append(duplicate.sections[0])
        let duplicated = Self.read(duplicate.bytes)
        #expect(duplicated?.code == .duplicateSection)

        var missing = FileBuilder(Self.sample)
        missing.sections.removeAll { $0.id == ID.metadata.rawValue }
        let error = Self.read(missing.bytes)
        #expect(error?.code == .missingSection)
        #expect(error?.message.contains("metadata") == true)
    }

    @Test func unknownRequiredSection() {
        var file = FileBuilder(Self.sample)
        file.sections.append(ModelWriter.Section(id: 200, flags: ModelFileFormat.requiredFlag, bytes: [0]))
        let error = Self.read(file.bytes)
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.message.contains("200") == true)
    }

    @Test func trailingBytesInSection() {
        var file = FileBuilder(Self.sample)
        file.replace(.io, with: file.content(.io) + [0])
        let error = Self.read(file.bytes)
        #expect(error?.code == .invalidValue)
        #expect(error?.section == "io")
        #expect(error?.field == "length")
    }

    // MARK: Tensors (raw values patched into tensor 0's record: count, name "input", type, rank, storage,
    // flags, dimensions)

    static let nameAt = 8, typeAt = 13, rankAt = 14, storageAt = 15, flagsAt = 16, firstDimensionAt = 17

    static func patchTensors(_ body: (inout [UInt8]) -> Void) -> ModelError? {
        var file = FileBuilder(sample)
        var tensors = file.content(.tensors)
        #expect(Array(tensors[8..<13]) == Array("input".utf8))
        body(&tensors)
        file.replace(.tensors, with: tensors)
        return read(file.bytes)
    }

    @Test func tensorCounts() {
        let huge = Self.patchTensors { $0.patch(UInt32.max, at: 0) }
        #expect(huge?.code == .tooLarge)
        #expect(huge?.field == "count")
        // Under the limit but more than the bytes can hold: refused before reserving.
        let claimed = Self.patchTensors { $0.patch(UInt32(ModelValidator.maximumTensors), at: 0) }
        #expect(claimed?.code == .truncated)
        #expect(claimed?.field == "count")
    }

    @Test func rankAboveSix() {
        let error = Self.patchTensors { $0[Self.rankAt] = 7 }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "rank")
        #expect(error?.tensorIndex == 0)
    }

    @Test func dimensionsOfZeroAndTwoToThe31() {
        for value in [UInt32(0), UInt32(1) << 31, UInt32.max] {
            let error = Self.patchTensors { $0.patch(value, at: Self.firstDimensionAt) }
            #expect(error?.code == .invalidValue)
            #expect(error?.field == "shape")
            #expect(error?.tensorIndex == 0)
        }
    }

    @Test func elementCountOverflow() {
        var model = Self.sample
        model.tensors[0].shape = TensorShape([Int(Int32.max), Int(Int32.max), Int(Int32.max), 3])
        let error = Self.read(model)
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "shape")
        #expect(error?.tensorIndex == 0)
    }

    @Test func unknownElementTypeAndStorage() {
        let type = Self.patchTensors { $0[Self.typeAt] = 9 }
        #expect(type?.code == .unknownEnumeration)
        #expect(type?.field == "type")
        let storage = Self.patchTensors { $0[Self.storageAt] = 5 }
        #expect(storage?.code == .unknownEnumeration)
        #expect(storage?.field == "storage")
        let flags = Self.patchTensors { $0[Self.flagsAt] = 0x81 }
        #expect(flags?.code == .invalidValue)
        #expect(flags?.field == "flags")
    }

    @Test func invalidUTF8Name() {
        let error = Self.patchTensors { $0[Self.nameAt + 1] = 0xFF }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "name")
        #expect(error?.tensorIndex == 0)
    }

    @Test func nanAndNegativeScales() {
        for scale in [Float.nan, -1, 0, .infinity] {
            var model = Self.sample
            model.tensors[0].quantization = Quantization(scale: scale, zeroPoint: 0)
            let error = Self.read(model)
            #expect(error?.code == .quantization)
            #expect(error?.field == "scales")
            #expect(error?.tensorIndex == 0)
        }
    }

    @Test func quantizationAxisOutOfRange() {
        var model = Self.sample
        model.tensors[0].quantization?.axis = 6
        let error = Self.read(model)
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "axis")
    }

    @Test func constantOffsetPastTheEnd() {
        var model = Self.sample
        model.tensors[1].storage = .constant(offset: 1 << 40)
        let error = Self.read(model)
        #expect(error?.code == .outOfBounds)
        #expect(error?.field == "offset")
        #expect(error?.tensorIndex == 1)

        // In range but the data would run past the end (caught by the validator).
        var late = Self.sample
        late.tensors[1].storage = .constant(offset: Self.sample.constants.count / 64 * 64)
        let lateError = Self.read(late)
        #expect(lateError?.code == .outOfBounds)
        #expect(lateError?.tensorIndex == 1)
    }

    // MARK: Graph

    /// The graph section of the sample, rebuilt with the given kind table and operator records.
    static func graphSection(kinds: [(UInt16, String)], operators: [(code: UInt16, options: [UInt8])]) -> [UInt8] {
        var writer = ByteWriter()
        writer.uint32(UInt32(kinds.count))
        for (code, name) in kinds { writer.uint16(code); writer.string(name) }
        writer.uint32(UInt32(operators.count))
        for (index, op) in operators.enumerated() {
            writer.uint16(op.code)
            writer.int32Array(sample.operators[index].inputs)
            writer.int32Array(sample.operators[index].outputs)
            writer.uint32(UInt32(op.options.count))
            writer.raw(op.options)
        }
        return writer.bytes
    }

    static var sampleKinds: [(UInt16, String)] {
        Set(sample.operators.map(\.kind)).sorted { $0.rawValue < $1.rawValue }.map { ($0.rawValue, $0.name) }
    }

    static var sampleOperators: [(code: UInt16, options: [UInt8])] {
        sample.operators.map { ($0.kind.rawValue, ModelWriter.encodeOptions($0.options)) }
    }

    static func readGraph(kinds: [(UInt16, String)] = sampleKinds,
                          operators: [(code: UInt16, options: [UInt8])] = sampleOperators) -> ModelError? {
        var file = FileBuilder(sample)
        file.replace(.graph, with: graphSection(kinds: kinds, operators: operators))
        return read(file.bytes)
    }

    @Test func graphSectionRebuildIsFaithful() {
        #expect(Self.graphSection(kinds: Self.sampleKinds, operators: Self.sampleOperators) == FileBuilder(Self.sample).content(.graph))
        #expect(Self.readGraph() == nil)
    }

    @Test func unknownOperatorIsRefusedByName() {
        let error = Self.readGraph(kinds: Self.sampleKinds + [(40, "gelu")])
        #expect(error?.code == .unknownOperator)
        #expect(error?.section == "graph")
        #expect(error?.message.contains("'gelu'") == true)
    }

    @Test func unknownOperatorCodeInRecord() {
        var operators = Self.sampleOperators
        operators[2].code = 999
        let error = Self.readGraph(operators: operators)
        #expect(error?.code == .unknownOperator)
        #expect(error?.operatorIndex == 2)
        #expect(error?.field == "kind")
    }

    @Test func kindTableMismatches() {
        var misnamed = Self.sampleKinds
        misnamed[0].1 = "convolution"
        let named = Self.readGraph(kinds: misnamed)
        #expect(named?.code == .invalidValue)
        #expect(named?.field == "operator_kinds.name")

        let undeclared = Self.readGraph(kinds: Array(Self.sampleKinds.dropFirst()))
        #expect(undeclared?.code == .invalidValue)
        #expect(undeclared?.operatorIndex == 0)
        #expect(undeclared?.field == "kind")

        let unsorted = Self.readGraph(kinds: Self.sampleKinds.reversed())
        #expect(unsorted?.code == .invalidValue)
        #expect(unsorted?.field == "operator_kinds.code")
    }

    @Test func optionsLengthMustMatch() {
        var operators = Self.sampleOperators
        operators[0].options += [0, 0, 0, 0]
        let error = Self.readGraph(operators: operators)
        #expect(error?.code == .invalidValue)
        #expect(error?.operatorIndex == 0)
        #expect(error?.field == "options_length")

        var short = Self.sampleOperators
        short[3].options.removeLast()
        let shortError = Self.readGraph(operators: short)
        #expect(shortError?.code == .truncated)
        #expect(shortError?.operatorIndex == 3)
    }

    @Test func optionsValuesAreRangeChecked() {
        var operators = Self.sampleOperators
        operators[0].options.patch(Int32(0), at: 0)  // conv stride_height
        let error = Self.readGraph(operators: operators)
        #expect(error?.code == .invalidValue)
        #expect(error?.operatorIndex == 0)
        #expect(error?.field == "stride_height")
        #expect(error?.message.hasPrefix("conv2d:") == true)
    }

    @Test func hugeRequantizationCount() {
        var operators = Self.sampleOperators
        // conv options: 4 window ints, 4 paddings, 2 activation bounds, then the requantization count.
        operators[0].options.patch(UInt32.max, at: 40)
        let error = Self.readGraph(operators: operators)
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "requantization")
    }

    @Test func cyclicGraph() {
        // The pool reads the conv's output, so running the pool first reads a tensor not yet written.
        var model = Self.sample
        model.operators.swapAt(0, 1)
        let error = Self.read(model)
        #expect(error?.code == .graphOrder)
        #expect(error?.operatorIndex == 0)

        // An operator that reads its own output.
        var loop = Self.sample
        loop.operators[1].inputs = loop.operators[1].outputs
        let loopError = Self.read(loop)
        #expect(loopError?.code == .graphOrder)
        #expect(loopError?.operatorIndex == 1)
    }

    @Test func tensorIndicesOutOfRange() {
        var model = Self.sample
        model.operators[1].outputs = [Int32.max]
        let error = Self.read(model)
        #expect(error?.code == .outOfBounds)
        #expect(error?.field == "outputs")

        var io = Self.sample
        io.inputs = [-5]
        #expect(Self.read(io)?.code == .outOfBounds)
    }

    @Test func hugeGraphInputCount() {
        var file = FileBuilder(Self.sample)
        var io = file.content(.io)
        io.patch(UInt32.max, at: 0)
        file.replace(.io, with: io)
        let error = Self.read(file.bytes)
        #expect(error?.code == .tooLarge)
        #expect(error?.section == "io")
        #expect(error?.field == "inputs")
    }

    // MARK: Plan

    @Test func overlappingPlan() {
        // The input (192 bytes) and the conv output (256 bytes) are both alive at step 0.
        var model = Self.sample
        model.plan.offsets[0] = model.plan.offsets[3]
        let error = Self.read(model)
        #expect(error?.code == .planOverlap)
        #expect(error?.section == "plan")
    }

    @Test func planOffsetsAndSize() {
        var far = Self.sample
        far.plan.offsets[0] = 1 << 40
        let farError = Self.read(far)
        #expect(farError?.code == .invalidValue)
        #expect(farError?.tensorIndex == 0)
        #expect(farError?.field == "offset")

        var big = Self.sample
        big.plan.size = 1 << 40
        let bigError = Self.read(big)
        #expect(bigError?.code == .tooLarge)
        #expect(bigError?.field == "arena_size")

        var outside = Self.sample
        outside.plan.offsets[8] = outside.plan.size
        let outsideError = Self.read(outside)
        #expect(outsideError?.code == .outOfBounds)
        #expect(outsideError?.tensorIndex == 8)

        var constant = Self.sample
        constant.plan.offsets[1] = 0
        let constantError = Self.read(constant)
        #expect(constantError?.code == .invalidValue)
        #expect(constantError?.tensorIndex == 1)

        var short = Self.sample
        short.plan.offsets.removeLast()
        #expect(Self.read(short)?.code == .planMissing)
    }

    // MARK: Metadata

    /// Offset of `has_preprocessing` in the sample's metadata: name, version, three labels (strings are
    /// a 4-byte length then the bytes), so 4+14 + 4+3 + 4 + (4+3) + (4+3) + (4+7).
    static let hasPreprocessingAt = 18 + 7 + 4 + 7 + 7 + 11

    static func patchMetadata(_ body: (inout [UInt8]) -> Void) -> ModelError? {
        var file = FileBuilder(sample)
        var metadata = file.content(.metadata)
        #expect(metadata[hasPreprocessingAt] == 1)
        body(&metadata)
        file.replace(.metadata, with: metadata)
        return read(file.bytes)
    }

    @Test func unknownPreprocessingEnumerations() {
        let fields = ["preprocessing.color_order", "preprocessing.resize_mode", "preprocessing.interpolation"]
        for (position, field) in fields.enumerated() {
            let error = Self.patchMetadata { $0[Self.hasPreprocessingAt + 1 + position] = 77 }
            #expect(error?.code == .unknownEnumeration)
            #expect(error?.section == "metadata")
            #expect(error?.field == field)
        }
        let flag = Self.patchMetadata { $0[Self.hasPreprocessingAt] = 2 }
        #expect(flag?.code == .invalidValue)
        #expect(flag?.field == "has_preprocessing")
    }

    @Test func preprocessingValues() {
        var model = Self.sample
        model.metadata.preprocessing?.mean = [0, .nan, 0]
        let error = Self.read(model)
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "preprocessing.mean")
    }

    @Test func hugeLabelCount() {
        let error = Self.patchMetadata { $0.patch(UInt32(ModelFileFormat.maximumLabels), at: 25) }
        #expect(error?.code == .truncated)
        #expect(error?.field == "labels")
        let tooMany = Self.patchMetadata { $0.patch(UInt32.max, at: 25) }
        #expect(tooMany?.code == .tooLarge)
    }
}
