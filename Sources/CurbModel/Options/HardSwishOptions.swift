/// Options of int8 hard-swish (TFLite reference: int16 fixed point with two multipliers).
public struct HardSwishOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.hardSwish

    /// `hires_input_scale / s_out`, as a 16-bit multiplier and its exponent (≤ 0).
    public var outputMultiplier: Int16
    public var outputExponent: Int32
    /// `hires_input_scale / (3 / 32768)`, as a 16-bit multiplier and its exponent.
    public var reluishMultiplier: Int16
    public var reluishExponent: Int32

    public init(outputMultiplier: Int16, outputExponent: Int32, reluishMultiplier: Int16, reluishExponent: Int32) {
        self.outputMultiplier = outputMultiplier
        self.outputExponent = outputExponent
        self.reluishMultiplier = reluishMultiplier
        self.reluishExponent = reluishExponent
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(Int32(outputMultiplier))
        writer.int32(outputExponent)
        writer.int32(Int32(reluishMultiplier))
        writer.int32(reluishExponent)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> HardSwishOptions {
        HardSwishOptions(outputMultiplier: Int16(try reader.int32("output_multiplier", in: 0...Int32(Int16.max))),
                         outputExponent: try reader.int32("output_exponent", in: -31...0),
                         reluishMultiplier: Int16(try reader.int32("reluish_multiplier", in: 0...Int32(Int16.max))),
                         reluishExponent: try reader.int32("reluish_exponent", in: -31...30))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
