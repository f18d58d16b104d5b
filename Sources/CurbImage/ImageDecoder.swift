/// The one entry point from file bytes to upright RGB pixels: sniffs the format from the magic bytes,
/// checks the limits before allocating, decodes (JPEG at a reduced DCT scale when a ``DecodeTarget``
/// allows), and applies the EXIF orientation.
///
/// Reuses its decoders and buffers: decoding frames no larger than earlier ones allocates nothing in
/// Swift (libjpeg itself makes a few mallocs per frame). Not thread-safe: one per thread.
public final class ImageDecoder {
    public var limits: DecodeLimits
    public let jpeg = JPEGDecoder()
    public let png = PNGDecoder()
    /// Holds the stored (not yet upright) pixels of images that must be turned.
    private let unturned = RGBImage()

    public init(limits: DecodeLimits = .standard) {
        self.limits = limits
    }

    /// Decodes `bytes` into `image`, upright. `file` only names the file in errors.
    @discardableResult
    public func decode(_ bytes: UnsafeRawBufferPointer, target: DecodeTarget? = nil, into image: RGBImage,
                       file: String? = nil) throws(ImageError) -> ImageFormat {
        do throws(ImageError) {
            try limits.check(fileBytes: bytes.count)
            guard let format = ImageFormat.sniff(bytes) else { throw ImageFormat.unknownFormatError(bytes) }
            switch format {
            case .png:
                try png.decode(bytes, limits: limits, into: image)
            case .jpeg:
                // Decode straight into `image` unless it will need turning (rare for camera frames).
                let probe = try jpeg.decode(bytes, limits: limits, target: target, into: unturned)
                if probe.orientation == .up {
                    swap(unturned, image)
                } else {
                    Self.orient(unturned, probe.orientation, into: image)
                }
            }
            return format
        } catch {
            if let file { throw error.inFile(file) }
            throw error
        }
    }

    /// Exchanges the buffers of two images (so the JPEG path can decode into the scratch image and hand
    /// its pixels over without copying).
    private func swap(_ source: RGBImage, _ destination: RGBImage) {
        destination.exchange(with: source)
    }

    /// Writes `source` turned upright by `orientation` into `destination`.
    static func orient(_ source: RGBImage, _ orientation: ImageOrientation, into destination: RGBImage) {
        let width = source.width, height = source.height
        let outWidth = orientation.swapsAxes ? height : width
        let outHeight = orientation.swapsAxes ? width : height
        destination.reserve(byteCount: width * height * 3)
        destination.setSize(width: outWidth, height: outHeight,
                            originalWidth: orientation.swapsAxes ? source.originalHeight : source.originalWidth,
                            originalHeight: orientation.swapsAxes ? source.originalWidth : source.originalHeight)
        // The stored pixel shown at upright (x, y) is `start + x * stepX + y * stepY` (in pixels).
        let last = width - 1, bottom = (height - 1) * width
        let (start, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case .up: (start, stepX, stepY) = (0, 1, width)
        case .mirrored: (start, stepX, stepY) = (last, -1, width)
        case .down: (start, stepX, stepY) = (bottom + last, -1, -width)
        case .mirroredDown: (start, stepX, stepY) = (bottom, 1, -width)
        case .transposed: (start, stepX, stepY) = (0, width, 1)
        case .right: (start, stepX, stepY) = (bottom, -width, 1)
        case .transversed: (start, stepX, stepY) = (bottom + last, -width, -1)
        case .left: (start, stepX, stepY) = (last, width, -1)
        }
        let input = source.storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let output = destination.storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written = 0
        for y in 0..<outHeight {
            var pixel = start + y * stepY
            for _ in 0..<outWidth {
                output[written] = input[3 * pixel]
                output[written + 1] = input[3 * pixel + 1]
                output[written + 2] = input[3 * pixel + 2]
                written += 3
                pixel += stepX
            }
        }
    }
}
