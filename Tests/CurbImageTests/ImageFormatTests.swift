import CurbImage
import Testing

@Suite struct ImageFormatTests {
    @Test func sniffsMagicBytes() {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]
        let almostPNG: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0B]
        let soiOnly: [UInt8] = [0xFF, 0xD8]
        #expect(jpeg.withUnsafeBytes { ImageFormat.sniff($0) } == .jpeg)
        #expect(png.withUnsafeBytes { ImageFormat.sniff($0) } == .png)
        #expect(almostPNG.withUnsafeBytes { ImageFormat.sniff($0) } == nil)
        #expect(soiOnly.withUnsafeBytes { ImageFormat.sniff($0) } == nil)
        #expect([UInt8]().withUnsafeBytes { ImageFormat.sniff($0) } == nil)
    }

    @Test func fixturesAreRecognisedByContent() {
        #expect(ImageFormat.sniff(Fixture.raw("png_named.jpg")) == .png)
        #expect(ImageFormat.sniff(Fixture.raw("progressive.jpg")) == .jpeg)
        #expect(ImageFormat.sniff(Fixture.raw("notes.txt")) == nil)
    }
}
