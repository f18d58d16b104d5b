/// One flatbuffer under reading: the untrusted bytes plus the limits that every table read from them shares.
///
/// Written from the flatbuffers binary format ("internals"): a buffer starts with a 32-bit unsigned offset
/// to the root table, optionally followed by a 4-byte file identifier; every reference (table, vector,
/// string) is a 32-bit unsigned offset relative to where it is stored, so references only point forward;
/// a table starts with a signed 32-bit offset back (or forward) to its vtable. All values are little-endian.
///
/// Nothing here trusts the bytes: every load is bounds-checked, nesting is bounded by `maximumDepth`, and a
/// shared decoding budget (twice the input size) stops files whose offsets alias the same large vector or
/// table many times from making the reader decode far more than the file holds.
struct FlatBuffer {
    /// The untrusted bytes.
    let bytes: UnsafeRawBufferPointer
    private let budget: Budget

    /// Tables deeper than this are refused (the TFLite and metadata schemas need 5 levels).
    static let maximumDepth = 32

    /// Work left, shared by every copy of this buffer's accessors (hence a class).
    private final class Budget {
        var remaining: Int
        init(_ remaining: Int) { self.remaining = remaining }
    }

    /// Flatbuffers address with 32-bit offsets, so a buffer is at most 2 GiB.
    init(_ bytes: UnsafeRawBufferPointer) throws(TFLiteError) {
        guard bytes.count <= Int(Int32.max) else {
            throw TFLiteError(.tooLarge, "a flatbuffer is at most 2 GiB, this one has \(bytes.count) bytes",
                              expected: "a file below 2 GiB")
        }
        self.bytes = bytes
        budget = Budget(2 * bytes.count + 4096)
    }

    /// Charges `units` of decoding work (one per table visited, element or string byte decoded).
    func charge(_ units: Int, table: String, field: String?, at position: Int) throws(TFLiteError) {
        guard units <= budget.remaining else {
            throw TFLiteError(.tooLarge,
                              "decoding would exceed twice the file's size: offsets share or repeat data",
                              table: table, field: field, offset: position,
                              expected: "each table, vector and string referenced about once")
        }
        budget.remaining -= units
    }

    /// A little-endian integer at `position`, after checking that all its bytes are inside the buffer.
    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int, table: String, field: String?)
        throws(TFLiteError) -> T {
        guard position >= 0, position <= bytes.count - MemoryLayout<T>.size else {
            throw TFLiteError(.outOfBounds,
                              "\(MemoryLayout<T>.size)-byte value at \(position) lies outside the \(bytes.count)-byte buffer",
                              table: table, field: field, offset: position, expected: "an offset inside the buffer")
        }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// Follows the 32-bit unsigned offset stored at `position`; the target must leave room for a 4-byte header.
    func followOffset(at position: Int, table: String, field: String?) throws(TFLiteError) -> Int {
        let relative = try load(UInt32.self, at: position, table: table, field: field)
        let target = position + Int(relative)
        guard target <= bytes.count - 4 else {
            throw TFLiteError(.outOfBounds, "offset \(relative) at \(position) points to \(target), past the end",
                              table: table, field: field, offset: position,
                              expected: "a target below \(bytes.count - 4)")
        }
        return target
    }

    /// The root table, after checking the 4-byte file identifier when one is given.
    func rootTable(named name: String, identifier: String?) throws(TFLiteError) -> FlatBufferTable {
        guard bytes.count >= 8 else {
            throw TFLiteError(.truncated, "a flatbuffer needs at least 8 bytes, found \(bytes.count)", table: name,
                              offset: 0, expected: "a root offset and a file identifier")
        }
        if let identifier {
            let expected = Array(identifier.utf8)
            let found = Array(bytes[4..<8])
            guard found == expected else {
                throw TFLiteError(.badIdentifier, "file identifier is \(found), not \"\(identifier)\"", table: name,
                                  offset: 4, expected: "\"\(identifier)\" at bytes 4..<8")
            }
        }
        let root = try followOffset(at: 0, table: name, field: "root offset")
        return try FlatBufferTable(buffer: self, position: root, name: name, depth: 0)
    }

    /// The NUL-terminated, UTF-8 validated string whose length prefix is at `position`.
    func string(at position: Int, table: String, field: String) throws(TFLiteError) -> String {
        let length = Int(try load(UInt32.self, at: position, table: table, field: field))
        let start = position + 4
        // The terminating NUL must fit too.
        guard length < bytes.count - start else {
            throw TFLiteError(.outOfBounds, "string of \(length) bytes at \(position) runs past the end",
                              table: table, field: field, offset: position,
                              expected: "at most \(max(bytes.count - start - 1, 0)) bytes")
        }
        guard bytes[start + length] == 0 else {
            throw TFLiteError(.invalidUTF8, "string at \(position) is not NUL-terminated", table: table,
                              field: field, offset: position, expected: "a 0 byte after the string")
        }
        try charge(length + 1, table: table, field: field, at: position)
        let contents = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        guard let string = String(validating: contents, as: UTF8.self) else {
            throw TFLiteError(.invalidUTF8, "string at \(position) is not valid UTF-8", table: table, field: field,
                              offset: position, expected: "UTF-8 text")
        }
        return string
    }
}
