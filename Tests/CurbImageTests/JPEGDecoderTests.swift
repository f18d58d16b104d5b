import CurbImage
import Testing

@Suite struct JPEGDecoderTests {
    /// Expected pixels are Pillow 13's decode of the same file (its bundled libjpeg-turbo, accurate DCT,
    /// fancy upsampling). All 67x45: partial MCUs on both edges.
    @Test(arguments: ["baseline_420", "baseline_444", "progressive", "grey", "cmyk_adobe", "cmyk_plain"])
    func decodesBitExactWithPillow(name: String) throws {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        let result = try decoder.decode(Fixture.raw(name + ".jpg"), into: image)
        #expect(image.width == 67 && image.height == 45)
        #expect(result.orientation == .up && result.scaleDenominator == 1)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes(name + ".jpg.rgb")) == 0)
    }

    /// Pillow's `draft` asks libjpeg for the same DCT scaling; the output must be identical.
    @Test(arguments: [1, 2, 4, 8])
    func scaledDecodeMatchesPillowDraft(denominator: Int) throws {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        // 165x123: a target of (165/d)x(123/d) is covered at 1/d and not at 1/(2d).
        let target = DecodeTarget(width: 165 / denominator, height: 123 / denominator)
        let result = try decoder.decode(Fixture.raw("scaled.jpg"), target: target, into: image)
        #expect(result.scaleDenominator == denominator)
        #expect(image.width == (165 + denominator - 1) / denominator)
        #expect(image.height == (123 + denominator - 1) / denominator)
        #expect(image.originalWidth == 165 && image.originalHeight == 123)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes("scaled_\(denominator).rgb")) == 0)
    }

    @Test func readsExifOrientationWithoutApplyingIt() throws {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        for (name, orientation) in [("exif3.jpg", ImageOrientation.down), ("exif6.jpg", .right), ("exif8.jpg", .left), ("baseline_420.jpg", .up)] {
            let result = try decoder.decode(Fixture.raw(name), into: image)
            #expect(result.orientation == orientation, "\(name)")
            #expect(image.width == 67 && image.height == 45)
        }
    }

    @Test func refusesHugeHeaderBeforeAllocating() {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        #expect(throws: ImageError(.tooManyPixels, "dimensions 65000x65000 exceed the 50 MP limit")) {
            try decoder.decode(Fixture.raw("huge.jpg"), into: image)
        }
        #expect(image.storage.count == 0)  // nothing was allocated for pixels
    }

    @Test func reportsLibjpegMessagesAndStaysUsable() throws {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        // Not a JPEG at all: libjpeg's own message.
        #expect(throws: ImageError(.corruptData, "JPEG: Not a JPEG file: starts with 0x89 0x50")) {
            try decoder.decode(Fixture.raw("rgb.png"), into: image)
        }
        // SOI, then an unsupported SOF3 and garbage: the kind of error that poisons a TurboJPEG 2.1.5
        // handle. This decoder must decode the next valid file.
        let garbage: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]
            + Fixture.bytes("garbage.bin")
        let thrown = #expect(throws: ImageError.self) {
            try decoder.decode(Fixture.pinned(garbage, key: "soi+garbage"), into: image)
        }
        #expect(thrown?.kind == .corruptData)
        #expect(thrown?.cause.hasPrefix("JPEG: ") == true)
        let result = try decoder.decode(Fixture.raw("baseline_420.jpg"), into: image)
        #expect(result.storedWidth == 67)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes("baseline_420.jpg.rgb")) == 0)
    }

    @Test func truncatedFileWarnsLenientlyAndFailsStrictly() throws {
        let decoder = JPEGDecoder()
        let image = RGBImage()
        _ = try decoder.decode(Fixture.raw("truncated.jpg"), into: image)
        #expect(decoder.lastWarningCount > 0)
        #expect(image.width == 67)
        decoder.strict = true
        #expect(throws: ImageError(.corruptData, "JPEG: Premature end of JPEG file")) {
            try decoder.decode(Fixture.raw("truncated.jpg"), into: image)
        }
    }
}
