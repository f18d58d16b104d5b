/// Affine quantization of a tensor: `real = (quantized - zeroPoint) * scale`.
///
/// Activations carry one scale and one zero point. Weights are symmetric (zero point 0) with one scale
/// per output channel along ``axis``. The runtime never uses the float scales to prepare integer ops
/// (the writer stores integer multipliers); they are kept for conversions at the model's boundary
/// (float in and out) and for tools.
public struct Quantization: Sendable, Equatable {
    /// One scale per tensor, or one per channel along ``axis``.
    public var scales: [Float]
    /// The zero point, shared by every channel (per-channel tensors must use 0).
    public var zeroPoint: Int32
    /// The channel axis of per-channel scales; 0 and unused for a single scale.
    public var axis: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scales = [scale]
        self.zeroPoint = zeroPoint
        self.axis = 0
    }

    public init(scales: [Float], zeroPoint: Int32 = 0, axis: Int32) {
        self.scales = scales
        self.zeroPoint = zeroPoint
        self.axis = axis
    }

    /// The single scale of a per-tensor quantization (the first scale otherwise).
    public var scale: Float { scales[0] }

    /// Whether the tensor has one scale per channel.
    public var isPerChannel: Bool { scales.count > 1 }
}
