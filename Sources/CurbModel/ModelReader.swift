#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a `.curb` file (layout: `docs/model-format.md`) into a validated ``Model``.
///
/// The bytes are copied once into ``AlignedBytes``; the model's ``ConstantData`` is a window of that same
/// storage, so weights are used in place. Every raw value is range-checked before it is turned into a
/// type that would trap on it, every count is checked against the bytes left before anything is
/// reserved, and the finished model goes through ``ModelValidator``: a hostile file gets a located
/// ``ModelError``, never a crash, a hang or an allocation sized by its own claims.
public enum ModelReader {
    /// Reads a model from bytes in memory.
    ///
    /// - Parameter verifyChecksum: false skips only the CRC-32 comparison (`--ignore-checksum`); every
    ///   other check still runs.
    public static func read(_ bytes: some Collection<UInt8>, verifyChecksum: Bool = true) throws(ModelError) -> Model {
        let count = bytes.count
        guard count <= ModelFileFormat.maximumFileBytes else {
            throw ModelError(.tooLarge, "\(count) bytes exceed the limit of \(ModelFileFormat.maximumFileBytes)",
                             section: "file", field: "size")
        }
        // Contiguous input (arrays, slices of them) is copied with one memory copy, not element by element.
        let copied = bytes.withContiguousStorageIfAvailable { source in
            AlignedBytes(count: source.count) { (target: UnsafeMutableRawBufferPointer) in
                target.copyMemory(from: UnsafeRawBufferPointer(source))
            }
        }
        return try read(storage: copied ?? AlignedBytes(bytes), verifyChecksum: verifyChecksum)
    }

    /// Reads a model file. Its size is checked against ``ModelFileFormat/maximumFileBytes`` before
    /// anything is allocated.
    public static func read(path: String, verifyChecksum: Bool = true) throws(ModelError) -> Model {
        let storage = try readFile(path)
        return try read(storage: storage, verifyChecksum: verifyChecksum)
    }

    /// Parses and validates a file already copied into aligned storage.
    static func read(storage: AlignedBytes, verifyChecksum: Bool) throws(ModelError) -> Model {
        let file = storage.buffer
        let sections = try readHeader(file, verifyChecksum: verifyChecksum)
        func slice(_ id: ModelFileFormat.SectionID) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: file[sections[id.rawValue]!])
        }
        let constantsRange = sections[ModelFileFormat.SectionID.constants.rawValue]!
        let tensors = try readTensors(slice(.tensors), constantsCount: constantsRange.count)
        let operators = try readGraph(slice(.graph))
        let (inputs, outputs) = try readIO(slice(.io))
        let plan = try readPlan(slice(.plan))
        let metadata = try readMetadata(slice(.metadata))
        let model = Model(tensors: tensors, operators: operators, inputs: inputs, outputs: outputs, plan: plan,
                          constants: ConstantData(storage: storage, range: constantsRange), metadata: metadata)
        try ModelValidator.validate(model)
        return model
    }

    // MARK: File

    /// Copies a regular file into aligned storage with one `read` loop, after checking its size.
    static func readFile(_ path: String) throws(ModelError) -> AlignedBytes {
        func failure(_ what: String) -> ModelError {
            let reason = String(cString: strerror(errno))
            return ModelError(.unreadable, "cannot \(what) \(path): \(reason)", section: "file", field: "path")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("stat") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ModelError(.unreadable, "\(path) is not a regular file", section: "file", field: "path")
        }
        let size = Int(info.st_size)
        guard size <= ModelFileFormat.maximumFileBytes else {
            throw ModelError(.tooLarge, "\(path) has \(size) bytes, the limit is \(ModelFileFormat.maximumFileBytes)",
                             section: "file", field: "size")
        }
        return try AlignedBytes(count: size) { (buffer: UnsafeMutableRawBufferPointer) throws(ModelError) in
            var done = 0
            while done < size {
                #if canImport(Glibc)
                let result = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
                #else
                let result = Darwin.read(descriptor, buffer.baseAddress! + done, size - done)
                #endif
                if result < 0 {
                    if errno == EINTR { continue }
                    throw failure("read")
                }
                if result == 0 {
                    throw ModelError(.truncated, "\(path) ended after \(done) of \(size) bytes (changed while reading?)",
                                     section: "file", field: "size")
                }
                done += result
            }
        }
    }

    // MARK: Header and section table

    /// Checks magic, version, size and CRC, then reads the section table. Returns the byte range of every
    /// known section (all present, none duplicated, none overlapping, each 64-byte aligned).
    static func readHeader(_ file: UnsafeRawBufferPointer, verifyChecksum: Bool) throws(ModelError) -> [UInt32: Range<Int>] {
        typealias Format = ModelFileFormat
        var header = ByteReader(file, section: "header")
        try header.require(Format.magic.count, field: "magic")
        for (index, byte) in Format.magic.enumerated() where file[index] != byte {
            throw ModelError(.badMagic, "the file does not start with \"CURB\" (not a .curb model)", section: "header", field: "magic")
        }
        header.position = Format.magic.count
        let major = try header.uint16("version_major")
        let minor = try header.uint16("version_minor")
        guard major == Format.majorVersion else {
            throw ModelError(.unsupportedVersion,
                             "the file is format \(major).\(minor); this reader reads \(Format.majorVersion).x only",
                             section: "header", field: "version_major")
        }
        try header.require(Format.headerSize - header.position, field: "header")
        let storedChecksum = try header.uint32("checksum")
        let sectionCount = try header.uint32("section_count")
        let declaredSize = try header.uint64("file_size")
        guard declaredSize <= UInt64(file.count) else {
            throw ModelError(.truncated, "the header declares \(declaredSize) bytes, the file has \(file.count)",
                             section: "header", field: "file_size")
        }
        guard declaredSize == UInt64(file.count) else {
            throw ModelError(.invalidValue, "\(UInt64(file.count) - declaredSize) bytes follow the declared end at \(declaredSize)",
                             section: "header", field: "file_size")
        }
        if verifyChecksum {
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(rebasing: file[0..<Format.checksumOffset]))
            crc.updateZeros(count: 4)
            crc.update(UnsafeRawBufferPointer(rebasing: file[(Format.checksumOffset + 4)...]))
            guard crc.value == storedChecksum else {
                throw ModelError(.checksumMismatch,
                                 "stored CRC-32 \(hex(storedChecksum)), computed \(hex(crc.value)) (corrupt file; --ignore-checksum skips this check only)",
                                 section: "header", field: "checksum")
            }
        }

        guard sectionCount <= UInt32(Format.maximumSections) else {
            throw ModelError(.tooLarge, "\(sectionCount) sections exceed the limit \(Format.maximumSections)",
                             section: "header", field: "section_count")
        }
        let count = Int(sectionCount)
        var table = ByteReader(file, section: "section_table", position: Format.headerSize)
        try table.require(count * Format.sectionEntrySize, field: "entries")
        let tableEnd = ModelWriter.alignUp(Format.headerSize + count * Format.sectionEntrySize, Format.sectionAlignment)
        var known: [UInt32: Range<Int>] = [:]
        var all: [(range: Range<Int>, entry: Int)] = []
        for entry in 0..<count {
            let id = try table.uint32("id")
            let flags = try table.uint32("flags")
            let offset = try table.uint64("offset")
            let length = try table.uint64("length")
            let name = Format.SectionID(rawValue: id)?.name ?? "id \(id)"
            func fail(_ code: ModelError.Code, _ message: String, _ field: String) -> ModelError {
                ModelError(code, "entry \(entry) (\(name)): \(message)", section: "section_table", field: field)
            }
            guard offset % UInt64(Format.sectionAlignment) == 0 else {
                throw fail(.badAlignment, "offset \(offset) is not a multiple of \(Format.sectionAlignment)", "offset")
            }
            guard offset >= UInt64(tableEnd), offset <= declaredSize else {
                throw fail(.outOfBounds, "offset \(offset) is outside \(tableEnd)...\(declaredSize)", "offset")
            }
            guard length <= declaredSize - offset else {
                throw fail(.outOfBounds, "\(length) bytes at \(offset) run past the end of the file (\(declaredSize) bytes)", "length")
            }
            let range = Int(offset)..<Int(offset + length)
            all.append((range, entry))
            if Format.SectionID(rawValue: id) != nil {
                guard known[id] == nil else {
                    throw ModelError(.duplicateSection, "entry \(entry): section \(name) appears twice", section: "section_table", field: "id")
                }
                known[id] = range
            } else if flags & Format.requiredFlag != 0 {
                throw ModelError(.unsupportedVersion,
                                 "entry \(entry): section id \(id) is marked required but this reader (format \(Format.majorVersion).\(Format.minorVersion)) does not know it",
                                 section: "section_table", field: "id")
            }
            // Unknown optional sections are skipped (bounds-checked above).
        }
        all.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (first, second) in zip(all, all.dropFirst()) where first.range.upperBound > second.range.lowerBound {
            throw ModelError(.outOfBounds, "entries \(first.entry) and \(second.entry) overlap", section: "section_table", field: "offset")
        }
        for id in Format.SectionID.allCases where known[id.rawValue] == nil {
            throw ModelError(.missingSection, "the required section \(id.name) (id \(id.rawValue)) is missing",
                             section: "section_table", field: "id")
        }
        return known
    }

    /// Fails unless a section's reader consumed every byte of the section.
    static func requireEnd(_ reader: ByteReader) throws(ModelError) {
        guard reader.remaining == 0 else {
            throw reader.error(.invalidValue, "\(reader.remaining) bytes follow the section's last field", field: "length")
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: Tensors

    static func readTensors(_ bytes: UnsafeRawBufferPointer, constantsCount: Int) throws(ModelError) -> [Tensor] {
        var reader = ByteReader(bytes, section: "tensors")
        // 8 bytes is the smallest tensor record: empty name's length, type, rank, storage, flags.
        let count = try reader.count("count", elementSize: 8, maximum: ModelValidator.maximumTensors)
        var tensors: [Tensor] = []
        tensors.reserveCapacity(count)
        for index in 0..<count {
            do throws(ModelError) {
                tensors.append(try readTensor(&reader, constantsCount: constantsCount))
            } catch {
                throw error.locating(tensorIndex: index)
            }
        }
        try requireEnd(reader)
        return tensors
    }

    static func readTensor(_ reader: inout ByteReader, constantsCount: Int) throws(ModelError) -> Tensor {
        let name = try reader.string("name", maximumBytes: ModelFileFormat.maximumStringBytes)
        let typeCode = try reader.uint8("type")
        guard let type = ElementType(rawValue: typeCode) else {
            throw reader.error(.unknownEnumeration, "element type \(typeCode) is unknown (1 int8, 2 int32, 3 float32)", field: "type")
        }
        let rank = Int(try reader.uint8("rank"))
        guard rank <= TensorShape.maximumRank else {
            throw reader.error(.invalidValue, "rank \(rank) exceeds the maximum \(TensorShape.maximumRank)", field: "rank")
        }
        let storageCode = try reader.uint8("storage")
        guard let storageKind = ModelFileFormat.StorageCode(rawValue: storageCode) else {
            throw reader.error(.unknownEnumeration, "storage \(storageCode) is unknown (0 activation, 1 constant)", field: "storage")
        }
        let flags = try reader.uint8("flags")
        guard flags & ~ModelFileFormat.quantizedFlag == 0 else {
            throw reader.error(.invalidValue, "flags \(flags) set undefined bits (only bit 0, quantized, is defined)", field: "flags")
        }
        // Checked before TensorShape, which traps on dimensions outside 0...Int32.max.
        var dimensions: [Int] = []
        dimensions.reserveCapacity(rank)
        for _ in 0..<rank {
            dimensions.append(Int(try reader.int32("shape", in: 1...Int32.max)))
        }
        var storage = TensorStorage.activation
        if storageKind == .constant {
            let offset = try reader.uint64("offset")
            guard offset <= UInt64(constantsCount) else {
                throw reader.error(.outOfBounds, "constant offset \(offset) is past the constants section (\(constantsCount) bytes)", field: "offset")
            }
            guard offset % UInt64(ModelFileFormat.constantAlignment) == 0 else {
                throw reader.error(.badAlignment, "constant offset \(offset) is not a multiple of \(ModelFileFormat.constantAlignment)", field: "offset")
            }
            storage = .constant(offset: Int(offset))
        }
        var quantization: Quantization?
        if flags & ModelFileFormat.quantizedFlag != 0 {
            let scales = try reader.float32Array("scales", maximum: ModelFileFormat.maximumScales)
            let zeroPoint = try reader.int32("zero_point")
            let axis = try reader.int32("axis", in: 0...Int32(TensorShape.maximumRank - 1))
            quantization = Quantization(scales: scales, zeroPoint: zeroPoint, axis: axis)
        }
        return Tensor(name: name, type: type, shape: TensorShape(dimensions), quantization: quantization, storage: storage)
    }

    // MARK: Graph

    static func readGraph(_ bytes: UnsafeRawBufferPointer) throws(ModelError) -> [Operator] {
        var reader = ByteReader(bytes, section: "graph")
        // The kind table names every operator kind the graph uses, so an unknown one is refused by name.
        let kindCount = try reader.count("operator_kinds", elementSize: 6, maximum: ModelFileFormat.maximumOperatorKinds)
        var declared = Set<UInt16>()
        var previous: Int = -1
        for _ in 0..<kindCount {
            let code = try reader.uint16("operator_kinds.code")
            let name = try reader.string("operator_kinds.name", maximumBytes: 256)
            guard Int(code) > previous else {
                throw reader.error(.invalidValue, "kind codes must be strictly ascending; \(code) follows \(previous)", field: "operator_kinds.code")
            }
            previous = Int(code)
            guard let kind = OperatorKind(rawValue: code) else {
                throw reader.error(.unknownOperator,
                                   "operator '\(name)' (code \(code)) is not supported by this reader (format \(ModelFileFormat.majorVersion).\(ModelFileFormat.minorVersion))",
                                   field: "operator_kinds")
            }
            guard kind.name == name else {
                throw reader.error(.invalidValue, "code \(code) is '\(kind.name)', the file calls it '\(name)'", field: "operator_kinds.name")
            }
            declared.insert(code)
        }
        // 14 bytes is the smallest operator record: code, two empty arrays, empty options.
        let count = try reader.count("operator_count", elementSize: 14, maximum: ModelValidator.maximumOperators)
        var operators: [Operator] = []
        operators.reserveCapacity(count)
        for index in 0..<count {
            var kind: OperatorKind?
            do throws(ModelError) {
                let code = try reader.uint16("kind")
                kind = OperatorKind(rawValue: code)
                guard let known = kind else {
                    throw reader.error(.unknownOperator, "operator code \(code) is unknown to this reader", field: "kind")
                }
                guard declared.contains(code) else {
                    throw reader.error(.invalidValue, "\(known) (code \(code)) is not declared in the kind table", field: "kind")
                }
                let inputs = try reader.int32Array("inputs", maximum: ModelValidator.maximumOperatorInputs)
                let outputs = try reader.int32Array("outputs", maximum: ModelValidator.maximumOperatorInputs)
                let length = try reader.count("options_length", elementSize: 1, maximum: ModelFileFormat.maximumOptionsBytes)
                var options = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[reader.position..<(reader.position + length)]),
                                         section: "graph")
                reader.position += length
                let decoded = try OperatorOptions.decode(kind: known, from: &options)
                guard options.remaining == 0 else {
                    throw options.error(.invalidValue, "the options record has \(length) bytes, \(options.position) were used",
                                        field: "options_length")
                }
                operators.append(Operator(decoded, inputs: inputs, outputs: outputs))
            } catch {
                var located = error.locating(operatorIndex: index)
                if let kind, !located.message.hasPrefix("\(kind.name):") { located.message = "\(kind.name): " + located.message }
                throw located
            }
        }
        try requireEnd(reader)
        return operators
    }

    // MARK: Inputs and outputs, plan, metadata

    static func readIO(_ bytes: UnsafeRawBufferPointer) throws(ModelError) -> (inputs: [Int32], outputs: [Int32]) {
        var reader = ByteReader(bytes, section: "io")
        let inputs = try reader.int32Array("inputs", maximum: ModelFileFormat.maximumGraphInputs)
        let outputs = try reader.int32Array("outputs", maximum: ModelFileFormat.maximumGraphInputs)
        try requireEnd(reader)
        return (inputs, outputs)
    }

    static func readPlan(_ bytes: UnsafeRawBufferPointer) throws(ModelError) -> ArenaPlan {
        var reader = ByteReader(bytes, section: "plan")
        let size = try reader.uint64("arena_size")
        guard size <= UInt64(ModelFileFormat.maximumArenaBytes) else {
            throw reader.error(.tooLarge, "an arena of \(size) bytes exceeds \(ModelFileFormat.maximumArenaBytes)", field: "arena_size")
        }
        let count = try reader.count("offsets", elementSize: 8, maximum: ModelValidator.maximumTensors)
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        for index in 0..<count {
            // Bounded so that no later offset + size sum can overflow.
            let offset = try reader.int64("offset")
            guard offset >= -1, offset <= Int64(ModelFileFormat.maximumArenaBytes) else {
                throw ModelError(.invalidValue, "offset \(offset) is neither −1 nor in 0...\(ModelFileFormat.maximumArenaBytes)",
                                 section: "plan", tensorIndex: index, field: "offset")
            }
            offsets.append(Int(offset))
        }
        try requireEnd(reader)
        return ArenaPlan(size: Int(size), offsets: offsets)
    }

    static func readMetadata(_ bytes: UnsafeRawBufferPointer) throws(ModelError) -> ModelMetadata {
        typealias Format = ModelFileFormat
        var reader = ByteReader(bytes, section: "metadata")
        let name = try reader.string("name", maximumBytes: Format.maximumStringBytes)
        let version = try reader.string("version", maximumBytes: Format.maximumStringBytes)
        let labelCount = try reader.count("labels", elementSize: 4, maximum: Format.maximumLabels)
        var labels: [String] = []
        labels.reserveCapacity(labelCount)
        for _ in 0..<labelCount { labels.append(try reader.string("labels", maximumBytes: Format.maximumStringBytes)) }
        let hasRecipe = try reader.uint8("has_preprocessing")
        var recipe: PreprocessingRecipe?
        switch hasRecipe {
        case 0: break
        case 1:
            let colorCode = try reader.uint8("preprocessing.color_order")
            guard let color = PreprocessingRecipe.ColorOrder(rawValue: colorCode) else {
                throw reader.error(.unknownEnumeration, "colour order \(colorCode) is unknown (1 rgb, 2 bgr)", field: "preprocessing.color_order")
            }
            let resizeCode = try reader.uint8("preprocessing.resize_mode")
            guard let resize = PreprocessingRecipe.ResizeMode(rawValue: resizeCode) else {
                throw reader.error(.unknownEnumeration, "resize mode \(resizeCode) is unknown (1 stretch, 2 center crop, 3 letterbox)",
                                   field: "preprocessing.resize_mode")
            }
            let interpolationCode = try reader.uint8("preprocessing.interpolation")
            guard let interpolation = PreprocessingRecipe.Interpolation(rawValue: interpolationCode) else {
                throw reader.error(.unknownEnumeration, "interpolation \(interpolationCode) is unknown (1 bilinear, 2 area)",
                                   field: "preprocessing.interpolation")
            }
            let mean = try reader.float32Array("preprocessing.mean", maximum: Format.maximumPreprocessingChannels)
            let deviation = try reader.float32Array("preprocessing.standard_deviation", maximum: Format.maximumPreprocessingChannels)
            recipe = PreprocessingRecipe(colorOrder: color, resizeMode: resize, interpolation: interpolation, mean: mean,
                                         standardDeviation: deviation)
        default:
            throw reader.error(.invalidValue, "must be 0 or 1, found \(hasRecipe)", field: "has_preprocessing")
        }
        let entryCount = try reader.count("provenance", elementSize: 8, maximum: Format.maximumProvenanceEntries)
        var provenance: [ModelMetadata.Entry] = []
        provenance.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            let key = try reader.string("provenance.key", maximumBytes: Format.maximumStringBytes)
            let value = try reader.string("provenance.value", maximumBytes: Format.maximumStringBytes)
            provenance.append(ModelMetadata.Entry(key, value))
        }
        try requireEnd(reader)
        return ModelMetadata(name: name, version: version, labels: labels, preprocessing: recipe, provenance: provenance)
    }
}
