/// Limits checked before any pixel memory is allocated, so a decompression bomb (a small file whose
/// header declares a huge image) is refused from its header.
public struct DecodeLimits: Sendable, Equatable {
    /// The largest `width * height` accepted, as declared by the file's header (before any DCT scaling).
    public var maximumPixels: Int
    /// The largest file accepted, in bytes.
    public var maximumFileBytes: Int

    /// 50 megapixels and 64 MiB: a 50 MP camera JPEG at high quality is about 25 MB.
    public static let standard = DecodeLimits()

    public init(maximumPixels: Int = 50_000_000, maximumFileBytes: Int = 64 << 20) {
        self.maximumPixels = maximumPixels
        self.maximumFileBytes = maximumFileBytes
    }

    /// Refuses a file of `byteCount` bytes that is empty or over the size limit (callers may check the
    /// size from `stat` before reading the file).
    public func check(fileBytes byteCount: Int) throws(ImageError) {
        if byteCount == 0 { throw ImageError(.emptyFile, "zero-byte file") }
        if byteCount > maximumFileBytes {
            throw ImageError(.fileTooLarge, "file is \(byteCount) bytes, over the \(maximumFileBytes)-byte limit")
        }
    }

    /// Refuses header dimensions that are zero or exceed ``maximumPixels``.
    public func check(width: Int, height: Int) throws(ImageError) {
        if width <= 0 || height <= 0 {
            throw ImageError(.corruptData, "header declares an empty image (\(width)x\(height))")
        }
        // Overflow-safe: width and height are at most 2^32 each.
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maximumPixels {
            throw ImageError(.tooManyPixels, "dimensions \(width)x\(height) exceed the \(Self.describe(pixels: maximumPixels)) limit")
        }
    }

    /// "50 MP" for whole megapixels, otherwise "123456-pixel".
    static func describe(pixels: Int) -> String {
        if pixels >= 1_000_000 && pixels % 1_000_000 == 0 { return "\(pixels / 1_000_000) MP" }
        return "\(pixels)-pixel"
    }
}
