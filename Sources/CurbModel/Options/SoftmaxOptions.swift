/// Options of the int8 fixed-point softmax over the last axis (TFLite reference / TFLM).
public struct SoftmaxOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.softmax

    /// `beta · s_in · 2^26` as a greater-than-one multiplier.
    public var inputMultiplier: Int32
    public var inputLeftShift: Int32
    /// Differences below this are treated as exp(−∞) = 0.
    public var diffMinimum: Int32

    public init(inputMultiplier: Int32, inputLeftShift: Int32, diffMinimum: Int32) {
        self.inputMultiplier = inputMultiplier
        self.inputLeftShift = inputLeftShift
        self.diffMinimum = diffMinimum
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(inputMultiplier)
        writer.int32(inputLeftShift)
        writer.int32(diffMinimum)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> SoftmaxOptions {
        SoftmaxOptions(inputMultiplier: try reader.int32("input_multiplier", in: 0...Int32.max),
                       inputLeftShift: try reader.int32("input_left_shift", in: 0...31),
                       diffMinimum: try reader.int32("diff_minimum", in: Int32.min...0))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
    }
}
