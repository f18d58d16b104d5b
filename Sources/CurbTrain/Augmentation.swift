import Foundation

/// Random training-time changes to a preprocessed image, each switchable (zero or false turns it off).
///
/// Geometry (shift, rotation, horizontal flip) is one inverse affine map about the image centre, sampled
/// bilinearly with edge pixels repeated outside the image (so no black borders the camera never shows).
/// Photometry works in pixel units through the recipe: `p′ = (p − μ) · c + μ + δ` per channel, with `μ`
/// the image's channel mean, `c` the contrast factor and `δ` the brightness shift, clamped to the values
/// pixels 0 and 255 map to, so augmented inputs stay inside what the board can see.
public struct Augmentation: Sendable, Equatable {
    /// Largest shift, as a fraction of the width (x) and height (y), uniform in ±.
    public var maximumShift: Float
    /// Flip left–right with probability 1/2.
    public var horizontalFlip: Bool
    /// Largest rotation in degrees, uniform in ±.
    public var maximumRotationDegrees: Float
    /// Largest brightness shift, as a fraction of 255, uniform in ±.
    public var maximumBrightness: Float
    /// Largest contrast change: the factor is uniform in 1 ± this.
    public var maximumContrast: Float

    public init(maximumShift: Float = 0, horizontalFlip: Bool = false, maximumRotationDegrees: Float = 0,
                maximumBrightness: Float = 0, maximumContrast: Float = 0) {
        precondition(maximumShift >= 0 && maximumRotationDegrees >= 0 && maximumBrightness >= 0 && (0..<1).contains(maximumContrast))
        self.maximumShift = maximumShift
        self.horizontalFlip = horizontalFlip
        self.maximumRotationDegrees = maximumRotationDegrees
        self.maximumBrightness = maximumBrightness
        self.maximumContrast = maximumContrast
    }

    /// No augmentation.
    public static let none = Augmentation()
    /// A mild default for fixed-camera crops: ±10% shift, flips, ±10°, ±10% brightness and contrast.
    public static let standard = Augmentation(maximumShift: 0.1, horizontalFlip: true, maximumRotationDegrees: 10,
                                              maximumBrightness: 0.1, maximumContrast: 0.1)

    public var isIdentity: Bool { self == .none }

    /// Writes an augmented copy of the `height × width × 3` image at `source` to `destination` (distinct
    /// memory). `standardDeviations` and `ranges` are per channel from the recipe.
    func apply(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, width: Int, height: Int,
               standardDeviations: [Float], ranges: [ClosedRange<Float>], generator: inout RandomSource) {
        // Draw every random number first, in a fixed order, so enabling one change never shifts another's draws.
        let shiftX = generator.uniform(in: -1...1) * maximumShift * Float(width)
        let shiftY = generator.uniform(in: -1...1) * maximumShift * Float(height)
        let angle = generator.uniform(in: -1...1) * maximumRotationDegrees * .pi / 180
        let flip = generator.uniform() < 0.5 && horizontalFlip
        let contrast = 1 + generator.uniform(in: -1...1) * maximumContrast
        let brightness = generator.uniform(in: -1...1) * maximumBrightness * 255
        let count = width * height * 3
        if shiftX == 0 && shiftY == 0 && angle == 0 && !flip {
            destination.update(from: source, count: count)
        } else {
            warp(source, into: destination, width: width, height: height, shift: (shiftX, shiftY), angle: angle, flip: flip)
        }
        guard contrast != 1 || brightness != 0 else { return }
        for channel in 0..<3 {
            var sum: Float = 0
            for pixel in 0..<(width * height) { sum += destination[pixel * 3 + channel] }
            let mean = sum / Float(width * height)
            let shift = brightness / standardDeviations[channel]
            let low = ranges[channel].lowerBound, high = ranges[channel].upperBound
            for pixel in 0..<(width * height) {
                let value = (destination[pixel * 3 + channel] - mean) * contrast + mean + shift
                destination[pixel * 3 + channel] = min(high, max(low, value))
            }
        }
    }

    /// Output pixel (x, y) samples the source at `R(−angle) · ((x, y) − centre − shift) + centre`, mirrored
    /// in x first when flipping.
    private func warp(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, width: Int, height: Int,
                      shift: (Float, Float), angle: Float, flip: Bool) {
        let centreX = Float(width - 1) / 2, centreY = Float(height - 1) / 2
        let cosine = cos(angle), sine = sin(angle)
        let lastX = Float(width - 1), lastY = Float(height - 1)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) - centreX - shift.0, v = Float(y) - centreY - shift.1
                var sourceX = cosine * u + sine * v
                let sourceY = -sine * u + cosine * v + centreY
                if flip { sourceX = -sourceX }
                sourceX += centreX
                let clampedX = min(lastX, max(0, sourceX)), clampedY = min(lastY, max(0, sourceY))
                let x0 = Int(clampedX), y0 = Int(clampedY)
                let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                let fx = clampedX - Float(x0), fy = clampedY - Float(y0)
                let top0 = source + (y0 * width + x0) * 3, top1 = source + (y0 * width + x1) * 3
                let bottom0 = source + (y1 * width + x0) * 3, bottom1 = source + (y1 * width + x1) * 3
                let out = destination + (y * width + x) * 3
                for c in 0..<3 {
                    let top = top0[c] + (top1[c] - top0[c]) * fx
                    let bottom = bottom0[c] + (bottom1[c] - bottom0[c]) * fx
                    out[c] = top + (bottom - top) * fy
                }
            }
        }
    }
}
