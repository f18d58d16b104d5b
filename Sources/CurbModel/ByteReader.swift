/// Reads little-endian values from untrusted bytes; every read is bounds-checked and names its field.
///
/// Arrays are read only after checking that the remaining bytes can hold the claimed count, so a hostile
/// count can never make the reader allocate more than the input's own size.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    /// The next byte to read, relative to `bytes`.
    public var position: Int
    /// The section name put into errors.
    public var section: String

    public init(_ bytes: UnsafeRawBufferPointer, section: String, position: Int = 0) {
        self.bytes = bytes
        self.section = section
        self.position = position
    }

    public var remaining: Int { bytes.count - position }

    /// Fails unless `count` more bytes are available for `field`.
    public func require(_ count: Int, field: String) throws(ModelError) {
        guard count >= 0, count <= remaining else {
            throw ModelError(.truncated, "needs \(count) bytes at offset \(position), only \(max(remaining, 0)) left",
                             section: section, field: field)
        }
    }

    public mutating func uint8(_ field: String) throws(ModelError) -> UInt8 {
        try require(1, field: field)
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func int8(_ field: String) throws(ModelError) -> Int8 {
        Int8(bitPattern: try uint8(field))
    }

    public mutating func uint16(_ field: String) throws(ModelError) -> UInt16 { try load(field) }
    public mutating func uint32(_ field: String) throws(ModelError) -> UInt32 { try load(field) }
    public mutating func int32(_ field: String) throws(ModelError) -> Int32 { Int32(bitPattern: try load(field)) }
    public mutating func uint64(_ field: String) throws(ModelError) -> UInt64 { try load(field) }
    public mutating func int64(_ field: String) throws(ModelError) -> Int64 { Int64(bitPattern: try load(field)) }
    public mutating func float32(_ field: String) throws(ModelError) -> Float { Float(bitPattern: try load(field)) }

    /// An int32 that must lie in `range`.
    public mutating func int32(_ field: String, in range: ClosedRange<Int32>) throws(ModelError) -> Int32 {
        let value = try int32(field)
        guard range.contains(value) else {
            throw ModelError(.invalidValue, "must be in \(range.lowerBound)...\(range.upperBound), found \(value)",
                             section: section, field: field)
        }
        return value
    }

    /// A count (uint32) checked against `maximum` and against the bytes left (`elementSize` each).
    public mutating func count(_ field: String, elementSize: Int, maximum: Int) throws(ModelError) -> Int {
        let raw = Int(try uint32(field))
        guard raw <= maximum else {
            throw ModelError(.tooLarge, "count \(raw) exceeds the limit \(maximum)", section: section, field: field)
        }
        try require(raw * max(elementSize, 1), field: field)
        return raw
    }

    /// A counted array of int32 (count checked before allocating).
    public mutating func int32Array(_ field: String, maximum: Int) throws(ModelError) -> [Int32] {
        let count = try count(field, elementSize: 4, maximum: maximum)
        var values: [Int32] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try int32(field)) }
        return values
    }

    /// A counted array of float32 (count checked before allocating).
    public mutating func float32Array(_ field: String, maximum: Int) throws(ModelError) -> [Float] {
        let count = try count(field, elementSize: 4, maximum: maximum)
        var values: [Float] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try float32(field)) }
        return values
    }

    /// A UTF-8 string (byte count then bytes); invalid UTF-8 is rejected.
    public mutating func string(_ field: String, maximumBytes: Int = 65_536) throws(ModelError) -> String {
        let length = try count(field, elementSize: 1, maximum: maximumBytes)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)])
        position += length
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ModelError(.invalidValue, "is not valid UTF-8", section: section, field: field)
        }
        return text
    }

    /// An error located at this reader's section and the given field.
    public func error(_ code: ModelError.Code, _ message: String, field: String) -> ModelError {
        ModelError(code, message, section: section, field: field)
    }

    private mutating func load<T: FixedWidthInteger>(_ field: String) throws(ModelError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, field: field)
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }
}
