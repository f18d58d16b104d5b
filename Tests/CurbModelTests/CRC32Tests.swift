import CurbModel
import CurbTestKit
import Testing

@Suite struct CRC32Tests {
    /// A literal bit-at-a-time reimplementation of the reflected CRC-32 (no table).
    static func naive(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func publishedCheckValues() {
        // The CRC catalogue's check value for CRC-32/ISO-HDLC, and two well-known strings (zlib's crc32).
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func matchesNaiveOnRandomData() {
        var random = SeededGenerator(seed: 42)
        for length in [1, 2, 7, 64, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(CRC32.checksum(bytes) == Self.naive(bytes))
        }
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = Array("incremental checksums must not depend on chunking".utf8)
        var crc = CRC32()
        bytes.withUnsafeBytes { all in
            crc.update(UnsafeRawBufferPointer(rebasing: all[0..<10]))
            crc.update(UnsafeRawBufferPointer(rebasing: all[10...]))
        }
        #expect(crc.value == CRC32.checksum(bytes))
    }

    @Test func zerosEqualZeroBytes() {
        var crc = CRC32()
        [UInt8](arrayLiteral: 1, 2, 3).withUnsafeBytes { crc.update($0) }
        crc.updateZeros(count: 5)
        #expect(crc.value == Self.naive([1, 2, 3, 0, 0, 0, 0, 0]))
    }
}
