/// A constant-data buffer, as the range of the file's bytes that holds it (no copy is made).
///
/// `Buffer` table: data (0, [ubyte]), offset (1, uint64), size (2, uint64). Models above 2 GB keep data
/// outside the flatbuffer (offset > 1); the reader refuses those.
public struct TFLiteBuffer: Sendable, Equatable {
    /// Where the data lies in the file; empty for the sentinel buffer and for activations.
    public var data: Range<Int>

    public init(data: Range<Int>) { self.data = data }
}
