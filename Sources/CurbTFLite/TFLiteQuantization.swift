/// How a tensor's integers map to reals: real = scale × (q − zero_point), per tensor or per channel.
///
/// `QuantizationParameters` table: min (0, [float]), max (1, [float]), scale (2, [float]), zero_point
/// (3, [long]), details_type (4) / details (5) (a custom-quantization union), quantized_dimension (6, int).
public struct TFLiteQuantization: Sendable, Equatable {
    public var min: [Float]
    public var max: [Float]
    public var scale: [Float]
    public var zeroPoint: [Int64]
    /// The axis the per-channel scales run along.
    public var quantizedDimension: Int32
    /// Whether the custom-quantization union is set (then the other fields are to be ignored, per the schema).
    public var hasCustomDetails: Bool

    public init(min: [Float] = [], max: [Float] = [], scale: [Float] = [], zeroPoint: [Int64] = [],
                quantizedDimension: Int32 = 0, hasCustomDetails: Bool = false) {
        self.min = min
        self.max = max
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.quantizedDimension = quantizedDimension
        self.hasCustomDetails = hasCustomDetails
    }
}
