/// DEQUANTIZE has no options: int8 → float32 with the input's scale and zero point, computed as TFLite's
/// reference does: `Float(Double(scale) · Double(x − zp))`.
///
/// Same shape in and out; the input per-tensor quantized.
public struct DequantizeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.dequantize

    public init() {}

    public func encode(into writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> DequantizeOptions { DequantizeOptions() }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(input, .int8, input: 0)
        try context.requireType(output, .float32, output: 0)
        _ = try context.requirePerTensorQuantization(input, input: 0)
        try context.requireSameShape(output.shape, input.shape, output: 0)
    }
}
