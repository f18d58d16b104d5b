/// Options of a constant pad: `before[i]` and `after[i]` elements on each axis, filled with `value`
/// (the output's zero point for PAD, the quantized constant for PADV2).
///
/// Input and output int8 with the same scale and zero point; `before` and `after` have one non-negative
/// count per input axis, and the output shape is `input + before + after`.
public struct PadOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.pad

    public var before: [Int32]
    public var after: [Int32]
    /// The raw int8 value written into the padding.
    public var value: Int32

    public init(before: [Int32], after: [Int32], value: Int32) {
        self.before = before
        self.after = after
        self.value = value
    }

    /// PAD (TFLite's `pad.cc`): the padding holds the output zero point, i.e. real 0.
    public static func make(before: [Int32], after: [Int32], outputZeroPoint: Int32) throws(ModelError) -> PadOptions {
        guard (-128...127).contains(outputZeroPoint) else {
            throw ModelError(.quantization, "pad: zero point \(outputZeroPoint) is not an int8 value", field: "value")
        }
        return PadOptions(before: before, after: after, value: outputZeroPoint)
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32Array(before)
        writer.int32Array(after)
        writer.int32(value)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> PadOptions {
        PadOptions(before: try reader.int32Array("before", maximum: TensorShape.maximumRank),
                   after: try reader.int32Array("after", maximum: TensorShape.maximumRank),
                   value: try reader.int32("value", in: -128...127))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(input, .int8, input: 0)
        try context.requireType(output, .int8, output: 0)
        try context.requireCopiedQuantization(from: input, input: 0, to: output)
        let rank = input.shape.rank
        guard before.count == rank, after.count == rank else {
            throw context.error(.invalidValue, "needs \(rank) before and after counts, has \(before.count) and \(after.count)",
                                field: "before")
        }
        guard (-128...127).contains(value) else {
            throw context.error(.invalidValue, "pad value \(value) is not an int8 value", field: "value")
        }
        var expected = [Int](repeating: 0, count: rank)
        for axis in 0..<rank {
            guard before[axis] >= 0, after[axis] >= 0 else {
                throw context.error(.invalidValue, "padding of axis \(axis) is negative", field: before[axis] < 0 ? "before" : "after")
            }
            expected[axis] = input.shape[axis] + Int(before[axis]) + Int(after[axis])
            // TensorShape holds Int32 dimensions; a larger padded extent cannot be the output's.
            guard expected[axis] <= Int(Int32.max) else {
                throw context.error(.shapeMismatch, "padded extent \(expected[axis]) of axis \(axis) is too large", field: "after")
            }
        }
        try context.requireSameShape(output.shape, TensorShape(expected), output: 0)
    }
}
