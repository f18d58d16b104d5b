import CPNG

/// Decodes PNG files with libpng's simplified `png_image` API (libpng does its own setjmp inside).
///
/// Every PNG becomes 8-bit RGB: palette, grey and grey+alpha are expanded; 16-bit samples are reduced to
/// 8 bits by rounding (`round(v / 257)`), treating them as sRGB-encoded (`PNG_IMAGE_FLAG_16BIT_sRGB`;
/// without it libpng assumes linear 16-bit data and the result is too bright). Interlaced files are
/// de-interlaced by libpng.
///
/// **8-bit alpha is dropped, not composited:** the colour samples are kept as stored and the alpha
/// channel (or tRNS transparency) is discarded. This is what Pillow's `Image.convert("RGB")` does, so a
/// Pillow-based trainer sees the same pixels. Fully transparent areas therefore show whatever colour the
/// file stores there (often black).
///
/// **16-bit files with alpha are composited onto black** by libpng, in linear light: the simplified API
/// cannot return unassociated 8-bit alpha for 16-bit input (its RGBA output for such files is neither
/// the stored colour nor a plain premultiplication). Opaque pixels give `round(v / 257)`, transparent ones
/// black. Such files are rare for camera frames; this difference from Pillow is accepted.
public final class PNGDecoder {
    public init() {}

    /// Decodes `bytes` into `image`. PNG has no orientation tag; the image is returned as stored.
    public func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodeLimits = .standard, into image: RGBImage) throws(ImageError) {
        try limits.check(fileBytes: bytes.count)
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&png, bytes.baseAddress, bytes.count) != 0 else {
            throw Self.failure(&png)
        }
        let width = Int(png.width), height = Int(png.height)
        do {
            try limits.check(width: width, height: height)
        } catch {
            png_image_free(&png)
            throw error
        }
        // 16-bit input shows as PNG_FORMAT_FLAG_LINEAR in the header's format.
        let isSixteenBit = png.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        let hasAlpha = png.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 && !isSixteenBit
        png.format = hasAlpha ? UInt32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA) : UInt32(PNG_FORMAT_RGB)
        png.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let channels = hasAlpha ? 4 : 3
        // RGBA is read into the same buffer and packed to RGB in place afterwards.
        image.reserve(byteCount: width * height * channels)
        // Used only when libpng removes alpha itself (16-bit files with alpha): composite onto black.
        var black = png_color(red: 0, green: 0, blue: 0)
        guard png_image_finish_read(&png, &black, image.storage.baseAddress, Int32(width * channels), nil) != 0 else {
            throw Self.failure(&png)
        }
        if hasAlpha {
            let pixels = image.storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
            // Forward is safe: destination 3i never passes source 4i.
            for index in 0..<(width * height) {
                pixels[3 * index] = pixels[4 * index]
                pixels[3 * index + 1] = pixels[4 * index + 1]
                pixels[3 * index + 2] = pixels[4 * index + 2]
            }
        }
        image.setSize(width: width, height: height, originalWidth: width, originalHeight: height)
    }

    private static func failure(_ png: inout png_image) -> ImageError {
        let message = withUnsafeBytes(of: &png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&png)
        return ImageError(.corruptData, "PNG: " + (message.isEmpty ? "libpng failed" : message))
    }
}
