/// A named metadata entry (`Metadata` table: name (0), buffer (1, uint32 index into the buffers)).
///
/// Converters write `min_runtime_version` and `CONVERSION_METADATA`; the metadata populator writes
/// `TFLITE_METADATA`, which names the associated files (labels) stored in a ZIP appended to the file.
public struct TFLiteMetadata: Sendable, Equatable {
    public var name: String
    /// The index of the buffer holding the entry's bytes (checked against the buffer count).
    public var buffer: Int

    public init(name: String, buffer: Int) {
        self.name = name
        self.buffer = buffer
    }
}
