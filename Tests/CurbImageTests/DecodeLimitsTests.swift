import CurbImage
import Testing

@Suite struct DecodeLimitsTests {
    @Test func defaultsAreFiftyMegapixelsAndSixtyFourMebibytes() {
        #expect(DecodeLimits.standard.maximumPixels == 50_000_000)
        #expect(DecodeLimits.standard.maximumFileBytes == 67_108_864)
    }

    @Test func checksDimensions() throws {
        let limits = DecodeLimits.standard
        try limits.check(width: 10_000, height: 5_000)  // exactly 50 MP is allowed
        #expect(throws: ImageError(.tooManyPixels, "dimensions 10001x5000 exceed the 50 MP limit")) {
            try limits.check(width: 10_001, height: 5_000)
        }
        #expect(throws: ImageError(.corruptData, "header declares an empty image (0x10)")) { try limits.check(width: 0, height: 10) }
        // No overflow for absurd sizes.
        #expect(throws: ImageError.self) { try limits.check(width: Int(UInt32.max), height: Int(UInt32.max)) }
    }

    @Test func checksFileSize() throws {
        let limits = DecodeLimits(maximumPixels: 100, maximumFileBytes: 10)
        try limits.check(fileBytes: 10)
        #expect(throws: ImageError(.emptyFile, "zero-byte file")) { try limits.check(fileBytes: 0) }
        #expect(throws: ImageError(.fileTooLarge, "file is 11 bytes, over the 10-byte limit")) { try limits.check(fileBytes: 11) }
        #expect(throws: ImageError(.tooManyPixels, "dimensions 11x10 exceed the 100-pixel limit")) { try limits.check(width: 11, height: 10) }
    }
}
