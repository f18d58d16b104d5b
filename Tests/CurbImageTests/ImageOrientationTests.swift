import CurbImage
import Testing

@Suite struct ImageOrientationTests {
    /// "Exif\0\0", TIFF header (byte order, 42, IFD0 at offset 8), one IFD entry: tag 0x0112, SHORT,
    /// count 1, value.
    func exif(bigEndian: Bool, value: UInt16, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { bigEndian ? u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) : u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        let order: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        // Two entries: an unrelated tag first (0x010F Make), then the orientation.
        return Array("Exif".utf8) + [0, 0] + order + u16(42) + u32(8) + u16(2)
            + u16(0x010F) + u16(2) + u32(4) + u32(0)
            + u16(0x0112) + u16(type) + u32(1) + u16(value) + u16(0) + u32(0)
    }

    @Test(arguments: [false, true])
    func readsOrientationInEitherByteOrder(bigEndian: Bool) {
        for value in 1...8 {
            let payload = exif(bigEndian: bigEndian, value: UInt16(value))
            #expect(payload.withUnsafeBytes { ImageOrientation.fromExif($0) }.rawValue == value)
        }
    }

    @Test func malformedExifMeansUpright() {
        let good = exif(bigEndian: false, value: 6)
        #expect(good.withUnsafeBytes { ImageOrientation.fromExif($0) } == .right)
        // Every truncation of a valid payload is read safely.
        for length in 0..<good.count {
            let cut = Array(good.prefix(length))
            let orientation = cut.withUnsafeBytes { ImageOrientation.fromExif($0) }
            #expect(orientation == .up || length >= 38, "length \(length)")
        }
        #expect(exif(bigEndian: false, value: 9).withUnsafeBytes { ImageOrientation.fromExif($0) } == .up)
        #expect(exif(bigEndian: false, value: 6, type: 4).withUnsafeBytes { ImageOrientation.fromExif($0) } == .up)
        #expect(Array("XMP\0\0\0IIxxxxxxx".utf8).withUnsafeBytes { ImageOrientation.fromExif($0) } == .up)
    }
}
