import CurbImage
import Testing

@Suite struct PNGDecoderTests {
    /// Every PNG colour type becomes 8-bit RGB. The 8-bit expectations are Pillow's `convert("RGB")`
    /// (alpha dropped); the 16-bit ones are `round(v / 257)` of the stored samples, computed by the
    /// fixture script (Pillow truncates to the high byte instead). 16-bit with alpha is composited onto
    /// black by libpng in linear light: opaque pixels then come back through a linear round trip and may
    /// differ by 1 (measured maximum: 1).
    @Test(arguments: [("rgb", 0), ("rgba", 0), ("grey", 0), ("grey_alpha", 0), ("palette", 0), ("interlaced", 0),
                      ("rgb16", 0), ("grey_alpha16", 1)])
    func decodesToRGB(name: String, tolerance: Int) throws {
        let decoder = PNGDecoder()
        let image = RGBImage()
        try decoder.decode(Fixture.raw(name + ".png"), into: image)
        #expect(image.width == 67 && image.height == 45)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes(name + ".png.rgb")) <= tolerance)
    }

    @Test func refusesHugeHeaderBeforeAllocating() {
        let decoder = PNGDecoder()
        let image = RGBImage()
        #expect(throws: ImageError(.tooManyPixels, "dimensions 65000x65000 exceed the 50 MP limit")) {
            try decoder.decode(Fixture.raw("huge.png"), into: image)
        }
        #expect(image.storage.count == 0)
    }

    @Test func reportsLibpngMessages() {
        let decoder = PNGDecoder()
        let image = RGBImage()
        #expect(throws: ImageError(.corruptData, "PNG: Not a PNG file")) {
            try decoder.decode(Fixture.raw("baseline_420.jpg"), into: image)
        }
        #expect(throws: ImageError(.corruptData, "PNG: read beyond end of data")) {
            try decoder.decode(Fixture.raw("truncated.png"), into: image)
        }
    }
}
