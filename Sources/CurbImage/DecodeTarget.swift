/// What the caller will do with a decoded image, so a JPEG can be decoded at a reduced DCT scale
/// (1/2, 1/4, 1/8) that still gives the resize step at least as many pixels as it needs.
///
/// Rule (the same as Pillow's `Image.draft` for ``Coverage/both``): the largest denominator `d` in
/// 8, 4, 2 such that the region of interest (or the whole upright image) at full resolution is at least
/// `d * width` wide and `d * height` high; otherwise 1. A trainer reproduces a decode with
/// `image.draft("RGB", (d * ..., ...))` or by decoding at full size and passing no target here.
public struct DecodeTarget: Sendable, Equatable {
    /// Which sides must keep at least the target's resolution.
    public enum Coverage: Sendable, Equatable {
        /// Both sides (stretch and centre-crop: the whole target is filled from the source).
        case both
        /// Either side (letterbox: the fitted image is limited by one side only).
        case either
    }

    public var width: Int
    public var height: Int
    public var coverage: Coverage
    /// The part of the image that will be used, in full-resolution upright pixels.
    public var regionOfInterest: PixelRegion?

    public init(width: Int, height: Int, coverage: Coverage = .both, regionOfInterest: PixelRegion? = nil) {
        self.width = width
        self.height = height
        self.coverage = coverage
        self.regionOfInterest = regionOfInterest
    }

    /// The DCT scale denominator (1, 2, 4 or 8) for an upright full-resolution image of this size.
    public func scaleDenominator(imageWidth: Int, imageHeight: Int) -> Int {
        let regionWidth = regionOfInterest?.width ?? imageWidth
        let regionHeight = regionOfInterest?.height ?? imageHeight
        guard width > 0, height > 0 else { return 1 }
        var denominator = 8
        while denominator >= 2 {
            defer { denominator /= 2 }
            let wideEnough = regionWidth >= denominator * width
            let highEnough = regionHeight >= denominator * height
            switch coverage {
            case .both where wideEnough && highEnough: return denominator
            case .either where wideEnough || highEnough: return denominator
            default: continue
            }
        }
        return 1
    }
}
