/// A bounds-checked view of one flatbuffer vector: a 32-bit element count followed by the elements.
///
/// The count is checked against the bytes that remain before anything is allocated, and every decoded
/// element is charged to the buffer's budget.
struct FlatBufferVector {
    let buffer: FlatBuffer
    /// The first element's position.
    let start: Int
    /// The number of elements.
    let count: Int
    /// Bytes per element (4 for offsets to tables or strings).
    let elementSize: Int
    /// The owning table and field, for errors.
    let table: String
    let field: String
    /// The owning table's depth; element tables are one deeper.
    let depth: Int

    init(buffer: FlatBuffer, position: Int, elementSize: Int, table: String, field: String, depth: Int)
        throws(TFLiteError) {
        let count = Int(try buffer.load(UInt32.self, at: position, table: table, field: field))
        let start = position + 4
        let available = buffer.bytes.count - start
        guard count <= available / elementSize else {
            throw TFLiteError(.outOfBounds,
                              "vector at \(position) claims \(count) elements of \(elementSize) bytes, only \(available) bytes remain",
                              table: table, field: field, offset: position,
                              expected: "at most \(available / elementSize) elements")
        }
        self.buffer = buffer
        self.start = start
        self.count = count
        self.elementSize = elementSize
        self.table = table
        self.field = field
        self.depth = depth
    }

    /// The elements' bytes, as positions in the buffer.
    var byteRange: Range<Int> { start..<(start + count * elementSize) }

    /// Fails unless the vector holds at most `maximum` elements.
    func requireCount(atMost maximum: Int) throws(TFLiteError) {
        guard count <= maximum else {
            throw TFLiteError(.tooLarge, "\(count) elements", table: table, field: field, offset: start - 4,
                              expected: "at most \(maximum)")
        }
    }

    /// All elements as little-endian integers of type `T` (whose size must be `elementSize`).
    func integers<T: FixedWidthInteger>(_ type: T.Type) throws(TFLiteError) -> [T] {
        precondition(MemoryLayout<T>.size == elementSize, "vector element size does not match the schema")
        try buffer.charge(count, table: table, field: field, at: start - 4)
        let bytes = buffer.bytes
        let start = start
        return (0..<count).map { index in
            T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + index * MemoryLayout<T>.size, as: T.self))
        }
    }

    /// All elements as 32-bit floats.
    func floats() throws(TFLiteError) -> [Float] {
        try integers(UInt32.self).map { Float(bitPattern: $0) }
    }

    /// The table that element `index` refers to.
    func table(at index: Int, named tableName: String) throws(TFLiteError) -> FlatBufferTable {
        precondition(elementSize == 4 && index >= 0 && index < count, "table element out of range")
        let at = try buffer.followOffset(at: start + 4 * index, table: table, field: field)
        return try FlatBufferTable(buffer: buffer, position: at, name: tableName, depth: depth + 1)
    }

    /// The string that element `index` refers to.
    func string(at index: Int) throws(TFLiteError) -> String {
        precondition(elementSize == 4 && index >= 0 && index < count, "string element out of range")
        let at = try buffer.followOffset(at: start + 4 * index, table: table, field: field)
        return try buffer.string(at: at, table: table, field: field)
    }
}
