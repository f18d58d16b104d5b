import CurbModel

/// The model input a ``Preprocessor`` writes: NHWC `[1, height, width, 3]`, int8 (affine quantized) or
/// float32.
public struct InputTensorDescription: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        /// `q = clamp(round_half_away(real / scale) + zeroPoint, −128, 127)`.
        case int8(scale: Float, zeroPoint: Int32)
        /// The real value itself.
        case float32
    }

    public var width: Int
    public var height: Int
    public var element: Element
    /// Always 3 (RGB or BGR).
    public var channels: Int { 3 }

    public init(width: Int, height: Int, element: Element) {
        self.width = width
        self.height = height
        self.element = element
    }

    /// The description of a model's input tensor: shape `[1, H, W, 3]` (or `[H, W, 3]`), int8 with a
    /// single scale, or float32.
    public init(_ tensor: Tensor) throws(ImageError) {
        let shape = tensor.shape
        let dimensions = (0..<shape.rank).map { shape[$0] }
        let spatial: (height: Int, width: Int, channels: Int)
        switch dimensions.count {
        case 4 where dimensions[0] == 1: spatial = (dimensions[1], dimensions[2], dimensions[3])
        case 3: spatial = (dimensions[0], dimensions[1], dimensions[2])
        default: throw ImageError(.invalidArgument, "input tensor '\(tensor.name)' has shape \(shape), not [1, H, W, 3]")
        }
        guard spatial.channels == 3, spatial.height > 0, spatial.width > 0 else {
            throw ImageError(.invalidArgument, "input tensor '\(tensor.name)' has shape \(shape), not [1, H, W, 3]")
        }
        switch tensor.type {
        case .int8:
            guard let quantization = tensor.quantization, !quantization.isPerChannel else {
                throw ImageError(.invalidArgument, "int8 input tensor '\(tensor.name)' needs one scale and zero point")
            }
            self.init(width: spatial.width, height: spatial.height,
                      element: .int8(scale: quantization.scale, zeroPoint: quantization.zeroPoint))
        case .float32:
            self.init(width: spatial.width, height: spatial.height, element: .float32)
        default:
            throw ImageError(.invalidArgument, "input tensor '\(tensor.name)' is \(tensor.type), not int8 or float32")
        }
    }

    /// Bytes the preprocessor writes.
    public var byteCount: Int {
        switch element {
        case .int8: width * height * 3
        case .float32: width * height * 3 * 4
        }
    }
}
