/// Finds the label list that TFLite metadata attaches to a model: a text file inside the ZIP archive the
/// metadata populator appends after the flatbuffer.
///
/// The label file is the one the `TFLITE_METADATA` entry names (a flatbuffer with identifier `M001`,
/// `tensorflow_lite_support/metadata/metadata_schema.fbs`): the first associated file of type
/// TENSOR_AXIS_LABELS (2) on an output tensor of the first subgraph, else on the subgraph, else on the
/// model. Without that metadata, the first entry whose name ends in `.txt` is taken. Only STORED entries
/// are read (the populator does not compress); a deflated entry is refused with `unsupportedCompression`.
public enum TFLiteAssociatedFiles {
    /// `AssociatedFileType.TENSOR_AXIS_LABELS`.
    static let tensorAxisLabels: UInt8 = 2

    /// The labels of the model in `bytes`, one per line (`\n` or `\r\n` line ends, a final empty line dropped),
    /// or nil when the file carries no ZIP archive or the archive has no label file.
    public static func labels(from bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> [String]? {
        guard let archive = try ZipArchive.find(in: bytes) else { return nil }
        let entry: ZipArchive.Entry
        if let name = try labelFileName(in: bytes) {
            guard let named = archive.entry(named: name) else {
                throw TFLiteError(.missingField, "metadata names label file '\(name)' but the ZIP has no such entry",
                                  table: "zip", expected: "an entry named '\(name)'")
            }
            entry = named
        } else if let text = archive.entries.first(where: { $0.name.hasSuffix(".txt") }) {
            entry = text
        } else {
            return nil
        }
        let contents = try archive.contents(of: entry, in: bytes)
        guard let text = String(validating: contents, as: UTF8.self) else {
            throw TFLiteError(.invalidUTF8, "label file '\(entry.name)' is not UTF-8", table: "zip",
                              expected: "UTF-8 text, one label per line")
        }
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The label file name recorded in the model's `TFLITE_METADATA`, or nil when there is none.
    public static func labelFileName(in bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> String? {
        guard let metadata = try metadataBytes(in: bytes) else { return nil }
        let buffer = try FlatBuffer(metadata)
        let model = try buffer.rootTable(named: "ModelMetadata", identifier: "M001")
        if let subgraphs = try model.vector(3, "subgraph_metadata", elementSize: 4), subgraphs.count > 0 {
            let subgraph = try subgraphs.table(at: 0, named: "SubGraphMetadata")
            if let outputs = try subgraph.vector(3, "output_tensor_metadata", elementSize: 4) {
                for index in 0..<outputs.count {
                    let tensor = try outputs.table(at: index, named: "TensorMetadata")
                    if let name = try labelFile(in: tensor, id: 6) { return name }
                }
            }
            if let name = try labelFile(in: subgraph, id: 4) { return name }
        }
        return try labelFile(in: model, id: 6)
    }

    /// The name of the first TENSOR_AXIS_LABELS file in the `associated_files` field `id` of `table`.
    private static func labelFile(in table: FlatBufferTable, id: Int) throws(TFLiteError) -> String? {
        guard let files = try table.vector(id, "associated_files", elementSize: 4) else { return nil }
        for index in 0..<files.count {
            // AssociatedFile: name (0), description (1), type (2), locale (3).
            let file = try files.table(at: index, named: "AssociatedFile")
            if try file.scalar(2, "type", default: UInt8(0)) == tensorAxisLabels, let name = try file.string(0, "name") {
                return name
            }
        }
        return nil
    }

    /// The bytes of the `TFLITE_METADATA` buffer, reading only the model's `metadata` and `buffers` fields
    /// (so this works for models the full reader would refuse, e.g. with several subgraphs).
    private static func metadataBytes(in bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> UnsafeRawBufferPointer? {
        let root = try FlatBuffer(bytes).rootTable(named: "Model", identifier: "TFL3")
        guard let entries = try root.vector(6, "metadata", elementSize: 4) else { return nil }
        for index in 0..<entries.count {
            let entry = try entries.table(at: index, named: "Metadata")
            guard try entry.string(0, "name") == "TFLITE_METADATA" else { continue }
            let bufferIndex = Int(try entry.scalar(1, "buffer", default: UInt32(0)))
            let buffers = try root.vector(4, "buffers", elementSize: 4)
            try TFLiteReader.checkIndex(bufferIndex, count: buffers?.count ?? 0, of: "buffer", table: "Metadata",
                                        field: "buffer")
            guard let data = try buffers?.table(at: bufferIndex, named: "Buffer").vector(0, "data", elementSize: 1) else {
                throw TFLiteError(.missingField, "TFLITE_METADATA buffer \(bufferIndex) is empty", table: "Buffer",
                                  field: "data", expected: "the metadata flatbuffer")
            }
            return UnsafeRawBufferPointer(rebasing: bytes[data.byteRange])
        }
        return nil
    }
}
