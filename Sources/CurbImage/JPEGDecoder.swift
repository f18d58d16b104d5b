import CJPEGShim

/// Decodes JPEG files with libjpeg (libjpeg-turbo) through a C shim, reusing one decompressor.
///
/// - Output is 8-bit RGB: greyscale is replicated, CMYK and YCCK files are decoded as CMYK and converted
///   with Pillow's formula (`r = (255 − k) − round((255 − k) · c / 255)`); files with an Adobe APP14
///   marker store inverted CMYK and are inverted first.
/// - Decoding uses libjpeg's defaults (accurate integer IDCT, fancy upsampling): bit-exact with Pillow.
/// - The header is read and checked against ``DecodeLimits`` before any pixel buffer is allocated.
/// - Errors come back as ``ImageError`` with libjpeg's message; the decoder stays usable afterwards.
///   Warnings (e.g. "Premature end of JPEG file" for a truncated file) are counted, not fatal, unless
///   ``strict`` is set: a half-written frame then decodes with its missing part grey.
///
/// Not thread-safe: one decoder per thread.
public final class JPEGDecoder {
    private let handle: OpaquePointer
    /// Whether libjpeg warnings (corrupt or truncated data it can work around) are errors.
    public var strict: Bool = false
    /// Warnings libjpeg emitted for the last image.
    public private(set) var lastWarningCount: Int = 0

    public init() {
        guard let handle = curb_jpeg_create() else { fatalError("libjpeg could not create a decompressor (out of memory)") }
        self.handle = handle
    }

    deinit {
        curb_jpeg_destroy(handle)
    }

    /// What ``decode(_:limits:target:into:)`` found besides the pixels.
    public struct Result: Sendable, Equatable {
        /// The EXIF orientation (not applied by this decoder; ``ImageDecoder`` applies it).
        public var orientation: ImageOrientation
        /// The DCT scale denominator used (1, 2, 4 or 8).
        public var scaleDenominator: Int
        /// Full-resolution size as stored (before orientation).
        public var storedWidth: Int
        public var storedHeight: Int
    }

    /// Decodes `bytes` into `image` as stored (no orientation applied; `image.originalWidth/Height`
    /// are the stored full-resolution size). With a `target`, decodes at the smallest DCT scale that
    /// still covers it (see ``DecodeTarget``), judged on the upright image.
    public func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodeLimits = .standard, target: DecodeTarget? = nil,
                       into image: RGBImage) throws(ImageError) -> Result {
        try limits.check(fileBytes: bytes.count)
        var info = curb_jpeg_info()
        let flags = strict ? Int32(CURB_JPEG_STRICT) : 0
        let status = curb_jpeg_read_header(handle, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, flags, &info)
        guard status == Int32(CURB_JPEG_OK) else { throw failure() }
        let storedWidth = Int(info.width), storedHeight = Int(info.height)
        do {
            try limits.check(width: storedWidth, height: storedHeight)
        } catch {
            curb_jpeg_abort(handle)
            throw error
        }
        var orientation = ImageOrientation.up
        if let app1 = info.app1 {
            orientation = ImageOrientation.fromExif(UnsafeRawBufferPointer(start: app1, count: info.app1_length))
        }
        var denominator = 1
        if let target {
            denominator = orientation.swapsAxes
                ? target.scaleDenominator(imageWidth: storedHeight, imageHeight: storedWidth)
                : target.scaleDenominator(imageWidth: storedWidth, imageHeight: storedHeight)
        }
        var width: UInt32 = 0, height: UInt32 = 0
        guard curb_jpeg_scaled_size(handle, Int32(denominator), &width, &height) == Int32(CURB_JPEG_OK) else { throw failure() }
        image.reserve(byteCount: Int(width) * Int(height) * 3)
        let decoded = curb_jpeg_decode(handle, Int32(denominator), image.storage.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                       image.storage.count, &width, &height)
        guard decoded == Int32(CURB_JPEG_OK) else { throw failure() }
        lastWarningCount = Int(curb_jpeg_warning_count(handle))
        image.setSize(width: Int(width), height: Int(height), originalWidth: storedWidth, originalHeight: storedHeight)
        return Result(orientation: orientation, scaleDenominator: denominator, storedWidth: storedWidth, storedHeight: storedHeight)
    }

    private func failure() -> ImageError {
        lastWarningCount = Int(curb_jpeg_warning_count(handle))
        let message = String(cString: curb_jpeg_message(handle))
        return ImageError(.corruptData, "JPEG: " + (message.isEmpty ? "libjpeg failed" : message))
    }
}
