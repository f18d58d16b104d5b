/// A bounds-checked view of one flatbuffer table: fields are looked up by id through the table's vtable.
///
/// The vtable is `[vtable size in bytes: u16, table inline size: u16, field offsets: u16 …]`; a field id
/// beyond the vtable or with offset 0 is absent (its default applies). Every field must lie inside the
/// table's declared inline size, after the 4-byte vtable reference.
struct FlatBufferTable {
    let buffer: FlatBuffer
    /// Where the table starts (its vtable reference).
    let position: Int
    /// The schema name of the table, for errors.
    let name: String
    /// How many tables enclose this one.
    let depth: Int
    private let vtablePosition: Int
    private let vtableSize: Int
    private let inlineSize: Int

    init(buffer: FlatBuffer, position: Int, name: String, depth: Int) throws(TFLiteError) {
        guard depth <= FlatBuffer.maximumDepth else {
            throw TFLiteError(.tooDeep, "tables nested \(depth) deep", table: name, offset: position,
                              expected: "at most \(FlatBuffer.maximumDepth) levels")
        }
        try buffer.charge(1, table: name, field: nil, at: position)
        let relative = Int32(bitPattern: try buffer.load(UInt32.self, at: position, table: name, field: "vtable offset"))
        let vtable = position - Int(relative)
        guard vtable >= 0, vtable <= buffer.bytes.count - 4 else {
            throw TFLiteError(.outOfBounds, "vtable at \(vtable) lies outside the buffer", table: name,
                              field: "vtable offset", offset: position, expected: "a vtable inside the buffer")
        }
        let vtableSize = Int(try buffer.load(UInt16.self, at: vtable, table: name, field: "vtable size"))
        let inlineSize = Int(try buffer.load(UInt16.self, at: vtable + 2, table: name, field: "table size"))
        guard vtableSize >= 4, vtableSize % 2 == 0, vtableSize <= buffer.bytes.count - vtable else {
            throw TFLiteError(.badVTable, "vtable at \(vtable) claims \(vtableSize) bytes", table: name,
                              field: "vtable size", offset: vtable,
                              expected: "an even size ≥ 4 that fits in the buffer")
        }
        guard inlineSize >= 4, inlineSize <= buffer.bytes.count - position else {
            throw TFLiteError(.badVTable, "table at \(position) claims \(inlineSize) inline bytes", table: name,
                              field: "table size", offset: vtable, expected: "a size ≥ 4 that fits in the buffer")
        }
        self.buffer = buffer
        self.position = position
        self.name = name
        self.depth = depth
        self.vtablePosition = vtable
        self.vtableSize = vtableSize
        self.inlineSize = inlineSize
    }

    /// Where field `id` (of `size` bytes) is stored, or nil when the table omits it.
    func fieldPosition(_ id: Int, size: Int, field: String) throws(TFLiteError) -> Int? {
        let entry = 4 + 2 * id
        guard entry + 2 <= vtableSize else { return nil }
        let relative = Int(try buffer.load(UInt16.self, at: vtablePosition + entry, table: name, field: field))
        if relative == 0 { return nil }
        guard relative >= 4, relative + size <= inlineSize else {
            throw TFLiteError(.badVTable, "field at table offset \(relative) (\(size) bytes) lies outside the table",
                              table: name, field: field, offset: vtablePosition + entry,
                              expected: "inside the table's \(inlineSize) inline bytes, after its vtable reference")
        }
        return position + relative
    }

    /// An integer field, or `defaultValue` when absent.
    func scalar<T: FixedWidthInteger>(_ id: Int, _ field: String, default defaultValue: T) throws(TFLiteError) -> T {
        guard let at = try fieldPosition(id, size: MemoryLayout<T>.size, field: field) else { return defaultValue }
        return try buffer.load(T.self, at: at, table: name, field: field)
    }

    /// A 32-bit float field, or `defaultValue` when absent.
    func float32(_ id: Int, _ field: String, default defaultValue: Float) throws(TFLiteError) -> Float {
        Float(bitPattern: try scalar(id, field, default: defaultValue.bitPattern))
    }

    /// A bool field (one byte, non-zero is true), or `defaultValue` when absent.
    func bool(_ id: Int, _ field: String, default defaultValue: Bool) throws(TFLiteError) -> Bool {
        try scalar(id, field, default: UInt8(defaultValue ? 1 : 0)) != 0
    }

    /// The position an offset field refers to, or nil when absent.
    private func target(_ id: Int, _ field: String) throws(TFLiteError) -> Int? {
        guard let at = try fieldPosition(id, size: 4, field: field) else { return nil }
        return try buffer.followOffset(at: at, table: name, field: field)
    }

    /// A sub-table field named `tableName` in the schema, or nil when absent.
    func table(_ id: Int, _ field: String, named tableName: String) throws(TFLiteError) -> FlatBufferTable? {
        guard let at = try target(id, field) else { return nil }
        return try FlatBufferTable(buffer: buffer, position: at, name: tableName, depth: depth + 1)
    }

    /// A vector field whose elements are `elementSize` bytes (4 for tables and strings), or nil when absent.
    func vector(_ id: Int, _ field: String, elementSize: Int) throws(TFLiteError) -> FlatBufferVector? {
        guard let at = try target(id, field) else { return nil }
        return try FlatBufferVector(buffer: buffer, position: at, elementSize: elementSize, table: name,
                                    field: field, depth: depth)
    }

    /// A string field, or nil when absent.
    func string(_ id: Int, _ field: String) throws(TFLiteError) -> String? {
        guard let at = try target(id, field) else { return nil }
        return try buffer.string(at: at, table: name, field: field)
    }

    /// A union: its type byte is field `typeID`, its table field `typeID + 1` (type 0 means NONE).
    func union(_ typeID: Int, _ field: String, named tableName: (UInt8) -> String)
        throws(TFLiteError) -> (type: UInt8, table: FlatBufferTable?) {
        let type = try scalar(typeID, field + "_type", default: UInt8(0))
        guard type != 0 else { return (0, nil) }
        return (type, try table(typeID + 1, field, named: tableName(type)))
    }
}
