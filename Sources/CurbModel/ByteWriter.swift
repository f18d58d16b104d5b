/// Appends little-endian values to a growing byte buffer (the model writer's only output primitive).
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func uint8(_ value: UInt8) { bytes.append(value) }
    public mutating func int8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    public mutating func uint16(_ value: UInt16) { appendLittleEndian(value) }
    public mutating func uint32(_ value: UInt32) { appendLittleEndian(value) }
    public mutating func int32(_ value: Int32) { appendLittleEndian(UInt32(bitPattern: value)) }
    public mutating func uint64(_ value: UInt64) { appendLittleEndian(value) }
    public mutating func int64(_ value: Int64) { appendLittleEndian(UInt64(bitPattern: value)) }
    public mutating func float32(_ value: Float) { appendLittleEndian(value.bitPattern) }

    /// Writes an `Int` that must fit in 32 bits (counts, dimensions, indices).
    public mutating func int32(_ value: Int) {
        precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "\(value) does not fit in int32")
        int32(Int32(value))
    }

    /// A count (uint32) followed by the elements.
    public mutating func int32Array(_ values: [Int32]) {
        uint32(UInt32(values.count))
        for value in values { int32(value) }
    }

    /// A count (uint32) followed by the elements.
    public mutating func float32Array(_ values: [Float]) {
        uint32(UInt32(values.count))
        for value in values { float32(value) }
    }

    /// A UTF-8 string: byte count (uint32) then the bytes, no terminator.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        uint32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Appends zero bytes until the length is a multiple of `alignment`.
    public mutating func pad(toMultipleOf alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Overwrites 4 bytes at `offset` (for back-patching lengths and checksums).
    public mutating func patchUInt32(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }

    /// Overwrites 8 bytes at `offset`.
    public mutating func patchUInt64(_ value: UInt64, at offset: Int) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
    }
}
