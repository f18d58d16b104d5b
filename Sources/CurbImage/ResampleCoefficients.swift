import CurbModel

/// Integer filter weights for resizing one axis, computed exactly as Pillow's `Image.resize` does
/// (libImaging/Resample.c), so Curbside's resize is bit-exact with Pillow's:
///
/// - output sample `i` is centred at `start + (i + 0.5) · scale` in input pixel units (half-pixel
///   centres), `scale = (end − start) / outputSize` (`start`, `end` are 32-bit floats, as Pillow's box);
/// - the filter is widened by the scale when shrinking (`support · max(scale, 1)`), so downscaling
///   averages every input pixel under the footprint (antialiasing) — bilinear uses the triangle
///   `max(0, 1 − |x|)` (support 1), area uses the box `−0.5 < x ≤ 0.5` (support 0.5);
/// - taps outside the image are dropped and the rest renormalised to sum 1 (in Double), then converted
///   to fixed point with 22 fraction bits, rounding half away from zero.
///
/// Storage is reused across calls; it grows only when a larger resize is asked for.
final class ResampleCoefficients {
    static let fractionBits = 22

    /// Per output sample: first input index, then the number of taps.
    private(set) var bounds: UnsafeMutablePointer<Int32>
    /// `outputSize * kernelSize` weights; sample `i` uses `weights[i * kernelSize ..< i * kernelSize + count]`.
    private(set) var weights: UnsafeMutablePointer<Int32>
    private(set) var kernelSize = 0
    private(set) var outputSize = 0
    private var boundsCapacity = 0
    private var weightsCapacity = 0
    private var scratch: UnsafeMutablePointer<Double>
    private var scratchCapacity = 0

    init() {
        bounds = .allocate(capacity: 0)
        weights = .allocate(capacity: 0)
        scratch = .allocate(capacity: 0)
    }

    deinit {
        bounds.deallocate()
        weights.deallocate()
        scratch.deallocate()
    }

    /// The first and one-past-last input index any output sample reads.
    var inputSpan: (first: Int, end: Int) {
        let first = Int(bounds[0])
        let last = Int(bounds[2 * (outputSize - 1)]) + Int(bounds[2 * (outputSize - 1) + 1])
        return (first, last)
    }

    func compute(inputSize: Int, start: Float, end: Float, outputSize: Int, interpolation: PreprocessingRecipe.Interpolation) {
        let support0: Double = interpolation == .bilinear ? 1.0 : 0.5
        let scale = Double(end - start) / Double(outputSize)
        let filterScale = scale < 1.0 ? 1.0 : scale
        let support = support0 * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        reserve(outputSize: outputSize, kernelSize: kernelSize)
        self.kernelSize = kernelSize
        self.outputSize = outputSize
        let inverse = 1.0 / filterScale
        let one = Double(1 << Self.fractionBits)
        for output in 0..<outputSize {
            let center = Double(start) + (Double(output) + 0.5) * scale
            // Int(_:) truncates toward zero, like C's (int) cast in Pillow.
            let first = max(0, Int(center - support + 0.5))
            let count = max(0, min(inputSize, Int(center + support + 0.5)) - first)
            var total = 0.0
            for tap in 0..<count {
                let x = (Double(tap + first) - center + 0.5) * inverse
                let weight: Double
                switch interpolation {
                case .bilinear:
                    let distance = x < 0 ? -x : x
                    weight = distance < 1.0 ? 1.0 - distance : 0.0
                case .area:
                    weight = x > -0.5 && x <= 0.5 ? 1.0 : 0.0
                }
                scratch[tap] = weight
                total += weight
            }
            let row = weights + output * kernelSize
            for tap in 0..<kernelSize {
                var weight = tap < count ? scratch[tap] : 0
                if tap < count && total != 0.0 { weight /= total }
                row[tap] = weight < 0 ? Int32(-0.5 + weight * one) : Int32(0.5 + weight * one)
            }
            bounds[2 * output] = Int32(first)
            bounds[2 * output + 1] = Int32(count)
        }
    }

    private func reserve(outputSize: Int, kernelSize: Int) {
        if boundsCapacity < 2 * outputSize {
            bounds.deallocate()
            boundsCapacity = 2 * outputSize
            bounds = .allocate(capacity: boundsCapacity)
        }
        if weightsCapacity < outputSize * kernelSize {
            weights.deallocate()
            weightsCapacity = outputSize * kernelSize
            weights = .allocate(capacity: weightsCapacity)
        }
        if scratchCapacity < kernelSize {
            scratch.deallocate()
            scratchCapacity = kernelSize
            scratch = .allocate(capacity: scratchCapacity)
        }
    }
}
