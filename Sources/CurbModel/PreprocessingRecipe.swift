/// How a camera frame becomes the model's input tensor. Stored in the model, so the trainer and the
/// board can never disagree.
///
/// A pixel value `p` in 0...255 of channel `c` maps to the real input value `(p − mean[c]) / std[c]`,
/// which is then quantized with the input tensor's scale and zero point.
public struct PreprocessingRecipe: Sendable, Equatable {
    public enum ColorOrder: UInt8, Sendable, CaseIterable { case rgb = 1, bgr = 2 }
    public enum ResizeMode: UInt8, Sendable, CaseIterable { case stretch = 1, centerCrop = 2, letterbox = 3 }
    public enum Interpolation: UInt8, Sendable, CaseIterable { case bilinear = 1, area = 2 }

    public var colorOrder: ColorOrder
    public var resizeMode: ResizeMode
    public var interpolation: Interpolation
    /// Per-channel mean, in the model's colour order, on the 0...255 scale.
    public var mean: [Float]
    /// Per-channel standard deviation (divisor), on the 0...255 scale; all > 0.
    public var standardDeviation: [Float]

    public init(colorOrder: ColorOrder = .rgb, resizeMode: ResizeMode = .stretch, interpolation: Interpolation = .bilinear,
                mean: [Float] = [0, 0, 0], standardDeviation: [Float] = [255, 255, 255]) {
        self.colorOrder = colorOrder
        self.resizeMode = resizeMode
        self.interpolation = interpolation
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Pixels to [0, 1].
    public static let unitRange = PreprocessingRecipe()
    /// Pixels to [−1, 1].
    public static let symmetricRange = PreprocessingRecipe(mean: [127.5, 127.5, 127.5], standardDeviation: [127.5, 127.5, 127.5])
}
