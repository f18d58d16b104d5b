import CMallocCounter
import CurbImage
import Testing

@Suite struct ImageDecoderTests {
    /// EXIF orientations are applied: the result equals Pillow's `ImageOps.exif_transpose`.
    @Test(arguments: [("exif3.jpg", 67, 45), ("exif6.jpg", 45, 67), ("exif8.jpg", 45, 67)])
    func appliesExifOrientation(name: String, width: Int, height: Int) throws {
        let image = try decodeFixture(name)
        #expect(image.width == width && image.height == height)
        #expect(image.originalWidth == width && image.originalHeight == height)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes(name + ".rgb")) == 0)
    }

    @Test func sniffsFormatNotExtension() throws {
        let decoder = ImageDecoder()
        let image = RGBImage()
        let format = try decoder.decode(Fixture.raw("png_named.jpg"), into: image, file: "png_named.jpg")
        #expect(format == .png)
        #expect(maximumDifference(Array(image.bytes), Fixture.bytes("rgb.png.rgb")) == 0)
    }

    /// Broken files: one line naming the file and the cause.
    @Test(arguments: [
        ("zero.jpg", "zero.jpg: zero-byte file"),
        ("garbage.bin", "garbage.bin: not a JPEG or PNG (starts with 0x5d 0xe6 0x59 0x18)"),
        ("notes.txt", "notes.txt: not a JPEG or PNG (starts with \"camera 1\")"),
        ("huge.jpg", "huge.jpg: dimensions 65000x65000 exceed the 50 MP limit"),
        ("huge.png", "huge.png: dimensions 65000x65000 exceed the 50 MP limit"),
        ("truncated_header.jpg", "truncated_header.jpg: JPEG: Invalid JPEG file structure: missing SOS marker"),
        ("truncated.png", "truncated.png: PNG: read beyond end of data"),
    ])
    func refusesBrokenFilesInOneLine(name: String, message: String) {
        let error = #expect(throws: ImageError.self) { try decodeFixture(name) }
        #expect(error?.description == message)
        #expect(error?.description.contains("\n") == false)
    }

    /// Truncated and bit-flipped files may decode or fail, but never crash, and the decoder goes on.
    @Test func survivesDamagedFiles() throws {
        let decoder = ImageDecoder()
        let image = RGBImage()
        for name in ["truncated.jpg", "bitflip.jpg", "bitflip.png", "truncated.png", "garbage.bin"] {
            do {
                try decoder.decode(Fixture.raw(name), into: image, file: name)
                #expect(image.width == 67 && image.height == 45, "\(name) decoded to a wrong size")
            } catch {
                #expect(error.file == name)
                #expect(!error.cause.isEmpty)
            }
            try decoder.decode(Fixture.raw("baseline_420.jpg"), into: image)
            #expect(maximumDifference(Array(image.bytes), Fixture.bytes("baseline_420.jpg.rgb")) == 0)
        }
    }

    @Test func limitsAreConfigurable() {
        let small = DecodeLimits(maximumPixels: 67 * 45 - 1, maximumFileBytes: 1 << 20)
        #expect(throws: ImageError(.tooManyPixels, "dimensions 67x45 exceed the 3014-pixel limit", file: "rgb.png")) {
            try decodeFixture("rgb.png", limits: small)
        }
        let tiny = DecodeLimits(maximumPixels: 50_000_000, maximumFileBytes: 1000)
        #expect(throws: ImageError(.fileTooLarge, "file is 1291 bytes, over the 1000-byte limit", file: "baseline_420.jpg")) {
            try decodeFixture("baseline_420.jpg", limits: tiny)
        }
    }

    /// Steady path: decoding the same size again allocates only inside libjpeg (its memory manager
    /// always mallocs; the probe measured 5-7 per frame), none in Swift.
    @Test func steadyDecodeAllocatesOnlyInsideLibjpeg() throws {
        let decoder = ImageDecoder()
        let image = RGBImage()
        let bytes = Fixture.raw("scaled.jpg")
        try decoder.decode(bytes, into: image)
        let before = malloc_counter_thread_allocations()
        for _ in 0..<10 { try decoder.decode(bytes, into: image) }
        let perCall = Double(malloc_counter_thread_allocations() - before) / 10
        #expect(perCall <= 8, "mallocs per decode: \(perCall)")
    }
}
