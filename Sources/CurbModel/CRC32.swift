/// CRC-32 as used by zlib, PNG and Ethernet (IEEE 802.3): reflected polynomial `0xEDB88320`, initial
/// value `0xFFFFFFFF`, final XOR `0xFFFFFFFF`. `CRC32.checksum("123456789")` is `0xCBF43926`.
public struct CRC32: Sendable {
    /// The running (un-finalised) register.
    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// Feeds `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        state = crc
    }

    /// Feeds `count` zero bytes (the checksum field while it is being computed).
    public mutating func updateZeros(count: Int) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            for _ in 0..<max(count, 0) { crc = table[Int(crc & 0xFF)] ^ (crc >> 8) }
        }
        state = crc
    }

    /// The finished checksum of everything fed so far.
    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The byte-at-a-time table: entry `n` is the register after shifting `n` through eight rounds.
    private static let table: [UInt32] = (0..<256).map { (index: UInt32) -> UInt32 in
        var value = index
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
