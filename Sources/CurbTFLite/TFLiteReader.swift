/// Reads a `.tflite` file (schema version 3, one subgraph) into a `TFLiteModel`, checking every offset,
/// length and index against the bytes, so hostile files are refused with a located `TFLiteError` instead of
/// trapping, hanging or allocating without bound.
///
/// Checked beyond the flatbuffer layout: the `TFL3` identifier, schema version 3, exactly one subgraph,
/// operator-code, tensor and buffer indices in range, shapes of at most `maximumRank` non-negative
/// dimensions, constant data sizes equal to shape × element size, quantization vectors consistent with the
/// shape, option tables that match their operator, and no data stored outside the flatbuffer (>2 GB models).
/// The reader does not decide whether Curbside can run the model; the importer does.
public enum TFLiteReader {
    /// Tensors of higher rank are refused (TFLite sets no limit; Curbside runs at most rank 6).
    public static let maximumRank = 16

    /// Reads the model in `bytes`. The buffers in the result are ranges of `bytes`.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> TFLiteModel {
        let buffer = try FlatBuffer(bytes)
        let root = try buffer.rootTable(named: "Model", identifier: "TFL3")
        let version = try root.scalar(0, "version", default: UInt32(0))
        guard version == 3 else {
            throw TFLiteError(.unsupportedVersion, "schema version \(version)", table: "Model", field: "version",
                              expected: "version 3")
        }
        let subgraphs = try root.vector(2, "subgraphs", elementSize: 4)
        let subgraphCount = subgraphs?.count ?? 0
        guard let subgraphs, subgraphCount == 1 else {
            throw TFLiteError(.unsupportedModel, "model has \(subgraphCount) subgraphs; Curbside imports exactly one",
                              table: "Model", field: "subgraphs", expected: "1 subgraph")
        }
        let operatorCodes = try readOperatorCodes(root)
        let buffers = try readBuffers(root)
        let metadata = try readMetadata(root, bufferCount: buffers.count)
        let description = try root.string(3, "description")
        let subgraph = try readSubGraph(try subgraphs.table(at: 0, named: "SubGraph"),
                                        operatorCodes: operatorCodes, buffers: buffers)
        return TFLiteModel(version: version, operatorCodes: operatorCodes, subgraph: subgraph,
                           description: description, buffers: buffers, metadata: metadata)
    }

    private static func readOperatorCodes(_ root: FlatBufferTable) throws(TFLiteError) -> [TFLiteOperatorCode] {
        guard let vector = try root.vector(1, "operator_codes", elementSize: 4) else { return [] }
        var codes: [TFLiteOperatorCode] = []
        codes.reserveCapacity(vector.count)
        for index in 0..<vector.count {
            let table = try vector.table(at: index, named: "OperatorCode")
            let deprecated = try table.scalar(0, "deprecated_builtin_code", default: Int8(0))
            let extended = try table.scalar(3, "builtin_code", default: Int32(0))
            // Old writers set only the int8 field; new ones saturate it at 127 and set the int32 one.
            let code = max(Int32(deprecated), extended)
            guard code >= 0 else {
                throw TFLiteError(.invalidValue, "operator code \(index) is \(code)", table: "OperatorCode",
                                  field: "builtin_code", offset: table.position, expected: "a code ≥ 0")
            }
            codes.append(TFLiteOperatorCode(builtinCode: TFLiteBuiltinOperator(rawValue: code),
                                            customCode: try table.string(1, "custom_code"),
                                            version: try table.scalar(2, "version", default: Int32(1))))
        }
        return codes
    }

    private static func readBuffers(_ root: FlatBufferTable) throws(TFLiteError) -> [TFLiteBuffer] {
        guard let vector = try root.vector(4, "buffers", elementSize: 4) else { return [] }
        var buffers: [TFLiteBuffer] = []
        buffers.reserveCapacity(vector.count)
        for index in 0..<vector.count {
            let table = try vector.table(at: index, named: "Buffer")
            let offset = try table.scalar(1, "offset", default: UInt64(0))
            // The schema calls offset valid only when > 1: such data lies outside the flatbuffer.
            guard offset <= 1 else {
                let size = try table.scalar(2, "size", default: UInt64(0))
                throw TFLiteError(.unsupportedModel,
                                  "buffer \(index) keeps its data outside the flatbuffer (offset \(offset), size \(size)), as models above 2 GB do",
                                  table: "Buffer", field: "offset", offset: table.position,
                                  expected: "data inside the flatbuffer (Curbside imports models below 2 GB)")
            }
            let data = try table.vector(0, "data", elementSize: 1)?.byteRange
            buffers.append(TFLiteBuffer(data: data ?? 0..<0))
        }
        return buffers
    }

    private static func readMetadata(_ root: FlatBufferTable, bufferCount: Int) throws(TFLiteError) -> [TFLiteMetadata] {
        guard let vector = try root.vector(6, "metadata", elementSize: 4) else { return [] }
        var entries: [TFLiteMetadata] = []
        entries.reserveCapacity(vector.count)
        for index in 0..<vector.count {
            let table = try vector.table(at: index, named: "Metadata")
            guard let name = try table.string(0, "name") else {
                throw TFLiteError(.missingField, "metadata entry \(index) has no name", table: "Metadata",
                                  field: "name", offset: table.position, expected: "a name")
            }
            let buffer = try table.scalar(1, "buffer", default: UInt32(0))
            try checkIndex(Int(buffer), count: bufferCount, of: "buffer", table: "Metadata", field: "buffer")
            entries.append(TFLiteMetadata(name: name, buffer: Int(buffer)))
        }
        return entries
    }

    private static func readSubGraph(_ table: FlatBufferTable, operatorCodes: [TFLiteOperatorCode],
                                     buffers: [TFLiteBuffer]) throws(TFLiteError) -> TFLiteSubGraph {
        var tensors: [TFLiteTensor] = []
        if let vector = try table.vector(0, "tensors", elementSize: 4) {
            tensors.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                do {
                    tensors.append(try readTensor(try vector.table(at: index, named: "Tensor"), buffers: buffers))
                } catch {
                    throw error.locating(tensorIndex: index)
                }
            }
        }
        let inputs = try tensorIndices(table, 1, "inputs", tensorCount: tensors.count, allowAbsent: false)
        let outputs = try tensorIndices(table, 2, "outputs", tensorCount: tensors.count, allowAbsent: false)
        var operators: [TFLiteOperator] = []
        if let vector = try table.vector(3, "operators", elementSize: 4) {
            operators.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                do {
                    operators.append(try readOperator(try vector.table(at: index, named: "Operator"),
                                                      operatorCodes: operatorCodes, tensorCount: tensors.count))
                } catch {
                    throw error.locating(operatorIndex: index)
                }
            }
        }
        return TFLiteSubGraph(tensors: tensors, inputs: inputs, outputs: outputs, operators: operators,
                              name: try table.string(4, "name"))
    }

    private static func readTensor(_ table: FlatBufferTable, buffers: [TFLiteBuffer]) throws(TFLiteError) -> TFLiteTensor {
        let shape = try dimensions(table, 0, "shape", minimum: 0)
        let rawType = try table.scalar(1, "type", default: Int8(0))
        guard rawType >= 0 else {
            throw TFLiteError(.unknownEnumeration, "tensor type \(rawType)", table: "Tensor", field: "type",
                              offset: table.position, expected: "a TensorType ≥ 0")
        }
        let type = TFLiteTensorType(rawValue: rawType)
        let buffer = Int(try table.scalar(2, "buffer", default: UInt32(0)))
        try checkIndex(buffer, count: buffers.count, of: "buffer", table: "Tensor", field: "buffer")
        let dataCount = buffers[buffer].data.count
        if dataCount > 0, let elementSize = type.elementSize {
            let expected = try byteCount(shape: shape, elementSize: elementSize)
            guard expected == dataCount else {
                throw TFLiteError(.invalidValue,
                                  "constant data has \(dataCount) bytes for shape \(shape) of \(type)",
                                  table: "Tensor", field: "buffer", offset: table.position,
                                  expected: "\(expected) bytes")
            }
        }
        var quantization: TFLiteQuantization?
        if let quantizationTable = try table.table(4, "quantization", named: "QuantizationParameters") {
            quantization = try readQuantization(quantizationTable, shape: shape)
        }
        let signature: [Int32]? = try table.vector(7, "shape_signature", elementSize: 4) == nil
            ? nil : try dimensions(table, 7, "shape_signature", minimum: -1)
        return TFLiteTensor(shape: shape, type: type, buffer: buffer, name: try table.string(3, "name"),
                            quantization: quantization, isVariable: try table.bool(5, "is_variable", default: false),
                            isSparse: try table.table(6, "sparsity", named: "SparsityParameters") != nil,
                            shapeSignature: signature)
    }

    private static func readQuantization(_ table: FlatBufferTable, shape: [Int32]) throws(TFLiteError) -> TFLiteQuantization {
        let scale = try table.vector(2, "scale", elementSize: 4)?.floats() ?? []
        let zeroPoint = try table.vector(3, "zero_point", elementSize: 8)?.integers(Int64.self) ?? []
        let dimension = try table.scalar(6, "quantized_dimension", default: Int32(0))
        // TFLite's interpreter builder refuses the same inconsistencies.
        guard scale.count == zeroPoint.count || scale.isEmpty || zeroPoint.isEmpty else {
            throw TFLiteError(.invalidValue, "\(scale.count) scales but \(zeroPoint.count) zero points",
                              table: "QuantizationParameters", field: "zero_point", offset: table.position,
                              expected: "one zero point per scale")
        }
        if scale.count > 1 {
            guard dimension >= 0, Int(dimension) < shape.count, Int(shape[Int(dimension)]) == scale.count else {
                throw TFLiteError(.invalidValue,
                                  "\(scale.count) per-channel scales along dimension \(dimension) of shape \(shape)",
                                  table: "QuantizationParameters", field: "quantized_dimension",
                                  offset: table.position, expected: "a dimension of the shape whose size is the scale count")
            }
        }
        return TFLiteQuantization(min: try table.vector(0, "min", elementSize: 4)?.floats() ?? [],
                                  max: try table.vector(1, "max", elementSize: 4)?.floats() ?? [],
                                  scale: scale, zeroPoint: zeroPoint, quantizedDimension: dimension,
                                  hasCustomDetails: try table.scalar(4, "details_type", default: UInt8(0)) != 0)
    }

    private static func readOperator(_ table: FlatBufferTable, operatorCodes: [TFLiteOperatorCode],
                                     tensorCount: Int) throws(TFLiteError) -> TFLiteOperator {
        let opcodeIndex = Int(try table.scalar(0, "opcode_index", default: UInt32(0)))
        try checkIndex(opcodeIndex, count: operatorCodes.count, of: "operator code", table: "Operator",
                       field: "opcode_index")
        let inputs = try tensorIndices(table, 1, "inputs", tensorCount: tensorCount, allowAbsent: true)
        let outputs = try tensorIndices(table, 2, "outputs", tensorCount: tensorCount, allowAbsent: false)
        let union = try table.union(3, "builtin_options", named: TFLiteBuiltinOptions.tableName(ofUnionType:))
        let builtin = operatorCodes[opcodeIndex].builtinCode
        if union.type != 0, let expected = TFLiteBuiltinOptions.unionType(for: builtin), expected != union.type {
            throw TFLiteError(.invalidValue,
                              "\(builtin) carries \(TFLiteBuiltinOptions.tableName(ofUnionType: union.type))",
                              table: "Operator", field: "builtin_options_type", offset: table.position,
                              expected: TFLiteBuiltinOptions.tableName(ofUnionType: expected))
        }
        let options = try decodeOptions(type: union.type, table: union.table)
        let largeCustomOffset = try table.scalar(9, "large_custom_options_offset", default: UInt64(0))
        guard largeCustomOffset <= 1 else {
            throw TFLiteError(.unsupportedModel, "custom options stored outside the flatbuffer (offset \(largeCustomOffset))",
                              table: "Operator", field: "large_custom_options_offset", offset: table.position,
                              expected: "options inside the flatbuffer (Curbside imports models below 2 GB)")
        }
        return TFLiteOperator(opcodeIndex: opcodeIndex, inputs: inputs, outputs: outputs, builtinOptions: options,
                              hasCustomOptions: try table.vector(5, "custom_options", elementSize: 1) != nil,
                              builtinOptions2Type: try table.scalar(11, "builtin_options_2_type", default: UInt8(0)))
    }

    /// An `[int]` of tensor indices, each in range (or -1 when `allowAbsent`).
    private static func tensorIndices(_ table: FlatBufferTable, _ id: Int, _ field: String, tensorCount: Int,
                                      allowAbsent: Bool) throws(TFLiteError) -> [Int] {
        guard let vector = try table.vector(id, field, elementSize: 4) else { return [] }
        let raw = try vector.integers(Int32.self)
        var indices: [Int] = []
        indices.reserveCapacity(raw.count)
        for value in raw {
            if allowAbsent && value == -1 {
                indices.append(-1)
                continue
            }
            try checkIndex(Int(value), count: tensorCount, of: "tensor", table: table.name, field: field)
            indices.append(Int(value))
        }
        return indices
    }

    /// A shape-like `[int]` of at most `maximumRank` entries, each ≥ `minimum`.
    private static func dimensions(_ table: FlatBufferTable, _ id: Int, _ field: String, minimum: Int32)
        throws(TFLiteError) -> [Int32] {
        guard let vector = try table.vector(id, field, elementSize: 4) else { return [] }
        try vector.requireCount(atMost: maximumRank)
        let values = try vector.integers(Int32.self)
        if let bad = values.first(where: { $0 < minimum }) {
            throw TFLiteError(.invalidValue, "dimension \(bad) in \(values)", table: table.name, field: field,
                              offset: vector.start - 4, expected: "dimensions ≥ \(minimum)")
        }
        return values
    }

    /// Shape × element size, refusing overflow.
    private static func byteCount(shape: [Int32], elementSize: Int) throws(TFLiteError) -> Int {
        var total = elementSize
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow else {
                throw TFLiteError(.tooLarge, "shape \(shape) has too many elements", table: "Tensor", field: "shape",
                                  expected: "a size that fits in memory")
            }
            total = product
        }
        return total
    }

    static func checkIndex(_ index: Int, count: Int, of kind: String, table: String, field: String)
        throws(TFLiteError) {
        guard index >= 0, index < count else {
            throw TFLiteError(.badIndex, "\(kind) index \(index) out of range", table: table, field: field,
                              expected: count == 0 ? "no \(kind) references (there are none)" : "0...\(count - 1)")
        }
    }
}
