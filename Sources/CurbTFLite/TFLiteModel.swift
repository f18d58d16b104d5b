/// The part of a TFLite model (schema version 3, `tensorflow/compiler/mlir/lite/schema/schema.fbs`) that
/// Curbside imports, decoded into plain values. Field ids are the schema's declaration order.
///
/// `Model` table: version (0), operator_codes (1), subgraphs (2), description (3), buffers (4),
/// metadata_buffer (5, unused), metadata (6), signature_defs (7, unused).
public struct TFLiteModel: Sendable, Equatable {
    /// The schema version; the reader accepts only 3.
    public var version: UInt32
    /// The operator codes; operators refer to them by index.
    public var operatorCodes: [TFLiteOperatorCode]
    /// The single subgraph (the reader refuses models with any other number).
    public var subgraph: TFLiteSubGraph
    /// The model's description (converters write e.g. "MLIR Converted.").
    public var description: String?
    /// The buffers; entry 0 is the empty sentinel by convention.
    public var buffers: [TFLiteBuffer]
    /// Named metadata entries, each pointing at a buffer.
    public var metadata: [TFLiteMetadata]

    public init(version: UInt32, operatorCodes: [TFLiteOperatorCode], subgraph: TFLiteSubGraph,
                description: String?, buffers: [TFLiteBuffer], metadata: [TFLiteMetadata]) {
        self.version = version
        self.operatorCodes = operatorCodes
        self.subgraph = subgraph
        self.description = description
        self.buffers = buffers
        self.metadata = metadata
    }

    /// The builtin operator that operator `index` of the subgraph runs.
    public func builtinOperator(ofOperator index: Int) -> TFLiteBuiltinOperator {
        operatorCodes[subgraph.operators[index].opcodeIndex].builtinCode
    }

    /// The bytes of metadata entry `name` (e.g. `TFLITE_METADATA`), as a range of the file, when present.
    public func metadataRange(named name: String) -> Range<Int>? {
        guard let entry = metadata.first(where: { $0.name == name }) else { return nil }
        return buffers[entry.buffer].data
    }
}
