/// A decoded image: packed 8-bit RGB rows (`width * 3` bytes each, no padding), top row first.
///
/// The buffer is reused: decoding a frame no larger than any earlier one allocates nothing. Not
/// thread-safe; give each thread its own.
public final class RGBImage {
    /// Width and height of the pixels in ``bytes``.
    public private(set) var width: Int = 0
    public private(set) var height: Int = 0
    /// The image's size at full resolution, after orientation: differs from `width`/`height` when the
    /// JPEG was decoded at a DCT scale (1/2, 1/4, 1/8). Regions of interest are given in these pixels.
    public private(set) var originalWidth: Int = 0
    public private(set) var originalHeight: Int = 0
    /// The allocated buffer; only the first `width * height * 3` bytes are pixels.
    public private(set) var storage: UnsafeMutableRawBufferPointer

    public init() {
        storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    /// An image holding a copy of `pixels` (`width * height * 3` bytes of RGB).
    public convenience init(width: Int, height: Int, pixels: some Collection<UInt8>) {
        precondition(pixels.count == width * height * 3, "RGB pixel count does not match the size")
        self.init()
        reserve(byteCount: width * height * 3)
        setSize(width: width, height: height, originalWidth: width, originalHeight: height)
        UnsafeMutableRawBufferPointer(rebasing: storage[0..<pixels.count]).copyBytes(from: pixels)
    }

    deinit {
        storage.deallocate()
    }

    /// The pixels: `width * height * 3` bytes.
    public var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: storage[0..<(width * height * 3)])
    }

    /// The bytes of one row.
    public func row(_ y: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: storage[(y * width * 3)..<((y + 1) * width * 3)])
    }

    /// Makes the buffer hold at least `byteCount` bytes, reallocating only when it is too small.
    /// The contents are not kept.
    func reserve(byteCount: Int) {
        if storage.count >= byteCount { return }
        storage.deallocate()
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    func setSize(width: Int, height: Int, originalWidth: Int, originalHeight: Int) {
        precondition(width * height * 3 <= storage.count)
        self.width = width
        self.height = height
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
    }
}

extension RGBImage {
    /// Exchanges buffers and sizes with `other` (no copy).
    func exchange(with other: RGBImage) {
        Swift.swap(&storage, &other.storage)
        Swift.swap(&width, &other.width)
        Swift.swap(&height, &other.height)
        Swift.swap(&originalWidth, &other.originalWidth)
        Swift.swap(&originalHeight, &other.originalHeight)
    }
}
