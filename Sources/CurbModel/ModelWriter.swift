/// Writes a ``Model`` as a `.curb` file (layout: `docs/model-format.md`).
///
/// The model is validated first, and the format's limits are checked, so the writer never produces a
/// file that ``ModelReader`` would refuse. Output is deterministic: the same model gives the same bytes.
public enum ModelWriter {
    /// The file's bytes.
    public static func write(_ model: Model) throws(ModelError) -> [UInt8] {
        try ModelValidator.validate(model)
        try checkFormatLimits(model)
        let bytes = assemble(encodeSections(model))
        guard bytes.count <= ModelFileFormat.maximumFileBytes else {
            throw ModelError(.tooLarge, "the file would have \(bytes.count) bytes, the limit is \(ModelFileFormat.maximumFileBytes)",
                             section: "header", field: "file_size")
        }
        return bytes
    }

    /// One section's id, flags and content (without padding).
    struct Section {
        var id: UInt32
        var flags: UInt32 = ModelFileFormat.requiredFlag
        var bytes: [UInt8]
    }

    // MARK: Layout

    /// Lays out header, section table and 64-byte-aligned sections, then seals the CRC-32.
    /// Takes raw sections so tests can build deliberately broken files.
    static func assemble(_ sections: [Section], major: UInt16 = ModelFileFormat.majorVersion,
                         minor: UInt16 = ModelFileFormat.minorVersion) -> [UInt8] {
        let alignment = ModelFileFormat.sectionAlignment
        var offsets: [Int] = []
        var next = alignUp(ModelFileFormat.headerSize + sections.count * ModelFileFormat.sectionEntrySize, alignment)
        for section in sections {
            offsets.append(next)
            next = alignUp(next + section.bytes.count, alignment)
        }
        let fileSize = next

        var writer = ByteWriter()
        writer.raw(ModelFileFormat.magic)
        writer.uint16(major)
        writer.uint16(minor)
        writer.uint32(0)  // CRC-32, sealed below
        writer.uint32(UInt32(sections.count))
        writer.uint64(UInt64(fileSize))
        writer.pad(toMultipleOf: ModelFileFormat.headerSize)
        for (section, offset) in zip(sections, offsets) {
            writer.uint32(section.id)
            writer.uint32(section.flags)
            writer.uint64(UInt64(offset))
            writer.uint64(UInt64(section.bytes.count))
        }
        for (section, offset) in zip(sections, offsets) {
            writer.pad(toMultipleOf: alignment)
            precondition(writer.count == offset)
            writer.raw(section.bytes)
        }
        writer.pad(toMultipleOf: alignment)
        var bytes = writer.bytes
        seal(&bytes)
        return bytes
    }

    /// Computes the CRC-32 of `bytes` (with the checksum field as zero) and stores it in the header.
    public static func seal(_ bytes: inout [UInt8]) {
        let at = ModelFileFormat.checksumOffset
        guard bytes.count >= at + 4 else { return }
        for index in at..<(at + 4) { bytes[index] = 0 }
        let crc = CRC32.checksum(bytes)
        for index in 0..<4 { bytes[at + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
    }

    static func alignUp(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    // MARK: Sections

    /// Every section of `model`, in the order the writer stores them. Checks nothing (see ``write(_:)``).
    static func encodeSections(_ model: Model) -> [Section] {
        typealias ID = ModelFileFormat.SectionID
        return [
            Section(id: ID.graph.rawValue, bytes: encodeGraph(model.operators)),
            Section(id: ID.tensors.rawValue, bytes: encodeTensors(model.tensors)),
            Section(id: ID.io.rawValue, bytes: encodeIO(inputs: model.inputs, outputs: model.outputs)),
            Section(id: ID.plan.rawValue, bytes: encodePlan(model.plan)),
            Section(id: ID.metadata.rawValue, bytes: encodeMetadata(model.metadata)),
            Section(id: ID.constants.rawValue, bytes: Array(model.constants.bytes)),
        ]
    }

    /// Kind table (code, name; ascending), then each operator: code, inputs, outputs, options length, options.
    static func encodeGraph(_ operators: [Operator]) -> [UInt8] {
        var writer = ByteWriter()
        let kinds = Set(operators.map(\.kind)).sorted { $0.rawValue < $1.rawValue }
        writer.uint32(UInt32(kinds.count))
        for kind in kinds {
            writer.uint16(kind.rawValue)
            writer.string(kind.name)
        }
        writer.uint32(UInt32(operators.count))
        for op in operators {
            writer.uint16(op.kind.rawValue)
            writer.int32Array(op.inputs)
            writer.int32Array(op.outputs)
            let options = encodeOptions(op.options)
            writer.uint32(UInt32(options.count))
            writer.raw(options)
        }
        return writer.bytes
    }

    /// An operator's options record, as its options type encodes it.
    static func encodeOptions(_ options: OperatorOptions) -> [UInt8] {
        var writer = ByteWriter()
        options.coding.encode(into: &writer)
        return writer.bytes
    }

    /// Count, then per tensor: name, type, rank, storage, flags, dimensions, constant offset, quantization.
    static func encodeTensors(_ tensors: [Tensor]) -> [UInt8] {
        var writer = ByteWriter()
        writer.uint32(UInt32(tensors.count))
        for tensor in tensors {
            writer.string(tensor.name)
            writer.uint8(tensor.type.rawValue)
            writer.uint8(UInt8(tensor.shape.rank))
            switch tensor.storage {
            case .activation: writer.uint8(ModelFileFormat.StorageCode.activation.rawValue)
            case .constant: writer.uint8(ModelFileFormat.StorageCode.constant.rawValue)
            }
            writer.uint8(tensor.quantization == nil ? 0 : ModelFileFormat.quantizedFlag)
            for axis in 0..<tensor.shape.rank { writer.int32(Int32(truncatingIfNeeded: tensor.shape[axis])) }
            if case .constant(let offset) = tensor.storage {
                writer.uint64(UInt64(truncatingIfNeeded: offset))
            }
            if let quantization = tensor.quantization {
                writer.float32Array(quantization.scales)
                writer.int32(quantization.zeroPoint)
                writer.int32(quantization.axis)
            }
        }
        return writer.bytes
    }

    /// Graph inputs, then graph outputs (counted int32 arrays).
    static func encodeIO(inputs: [Int32], outputs: [Int32]) -> [UInt8] {
        var writer = ByteWriter()
        writer.int32Array(inputs)
        writer.int32Array(outputs)
        return writer.bytes
    }

    /// Arena size (uint64), then one int64 offset per tensor (−1 for constants and unplanned tensors).
    static func encodePlan(_ plan: ArenaPlan) -> [UInt8] {
        var writer = ByteWriter()
        writer.uint64(UInt64(truncatingIfNeeded: plan.size))
        writer.uint32(UInt32(truncatingIfNeeded: plan.offsets.count))
        for offset in plan.offsets { writer.int64(Int64(offset)) }
        return writer.bytes
    }

    /// Name, version, labels, optional preprocessing recipe, provenance.
    static func encodeMetadata(_ metadata: ModelMetadata) -> [UInt8] {
        var writer = ByteWriter()
        writer.string(metadata.name)
        writer.string(metadata.version)
        writer.uint32(UInt32(truncatingIfNeeded: metadata.labels.count))
        for label in metadata.labels { writer.string(label) }
        if let recipe = metadata.preprocessing {
            writer.uint8(1)
            writer.uint8(recipe.colorOrder.rawValue)
            writer.uint8(recipe.resizeMode.rawValue)
            writer.uint8(recipe.interpolation.rawValue)
            writer.float32Array(recipe.mean)
            writer.float32Array(recipe.standardDeviation)
        } else {
            writer.uint8(0)
        }
        writer.uint32(UInt32(truncatingIfNeeded: metadata.provenance.count))
        for entry in metadata.provenance {
            writer.string(entry.key)
            writer.string(entry.value)
        }
        return writer.bytes
    }

    // MARK: Limits

    /// The format's own rules that ``ModelValidator`` does not cover (they concern bytes, not meaning).
    static func checkFormatLimits(_ model: Model) throws(ModelError) {
        typealias Format = ModelFileFormat
        func checkString(_ value: String, section: String, field: String, tensorIndex: Int? = nil) throws(ModelError) {
            guard value.utf8.count <= Format.maximumStringBytes else {
                throw ModelError(.tooLarge, "a string of \(value.utf8.count) bytes exceeds \(Format.maximumStringBytes)",
                                 section: section, tensorIndex: tensorIndex, field: field)
            }
        }
        for (index, tensor) in model.tensors.enumerated() {
            try checkString(tensor.name, section: "tensors", field: "name", tensorIndex: index)
            if case .constant(let offset) = tensor.storage, offset % Format.constantAlignment != 0 {
                throw ModelError(.badAlignment, "constant offset \(offset) is not a multiple of \(Format.constantAlignment)",
                                 section: "tensors", tensorIndex: index, field: "offset")
            }
            if let quantization = tensor.quantization {
                guard quantization.scales.count <= Format.maximumScales else {
                    throw ModelError(.tooLarge, "\(quantization.scales.count) scales exceed \(Format.maximumScales)",
                                     section: "tensors", tensorIndex: index, field: "scales")
                }
                guard quantization.axis >= 0, quantization.axis < Int32(TensorShape.maximumRank) else {
                    throw ModelError(.invalidValue, "axis \(quantization.axis) is not in 0..<\(TensorShape.maximumRank)",
                                     section: "tensors", tensorIndex: index, field: "axis")
                }
            }
        }
        for (index, op) in model.operators.enumerated() {
            let size = encodeOptions(op.options).count
            guard size <= Format.maximumOptionsBytes else {
                throw ModelError(.tooLarge, "\(op.kind): options of \(size) bytes exceed \(Format.maximumOptionsBytes)",
                                 section: "graph", operatorIndex: index, field: "options")
            }
        }
        guard model.inputs.count <= Format.maximumGraphInputs, model.outputs.count <= Format.maximumGraphInputs else {
            throw ModelError(.tooLarge, "more than \(Format.maximumGraphInputs) graph inputs or outputs", section: "io",
                             field: model.inputs.count > Format.maximumGraphInputs ? "inputs" : "outputs")
        }
        guard model.plan.size <= Format.maximumArenaBytes else {
            throw ModelError(.tooLarge, "an arena of \(model.plan.size) bytes exceeds \(Format.maximumArenaBytes)",
                             section: "plan", field: "arena_size")
        }
        let metadata = model.metadata
        try checkString(metadata.name, section: "metadata", field: "name")
        try checkString(metadata.version, section: "metadata", field: "version")
        guard metadata.labels.count <= Format.maximumLabels else {
            throw ModelError(.tooLarge, "\(metadata.labels.count) labels exceed \(Format.maximumLabels)",
                             section: "metadata", field: "labels")
        }
        for label in metadata.labels { try checkString(label, section: "metadata", field: "labels") }
        guard metadata.provenance.count <= Format.maximumProvenanceEntries else {
            throw ModelError(.tooLarge, "\(metadata.provenance.count) provenance entries exceed \(Format.maximumProvenanceEntries)",
                             section: "metadata", field: "provenance")
        }
        for entry in metadata.provenance {
            try checkString(entry.key, section: "metadata", field: "provenance.key")
            try checkString(entry.value, section: "metadata", field: "provenance.value")
        }
    }
}
