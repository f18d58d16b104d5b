/// Reshape has no options: the output tensor's shape is the new shape (same element count and type).
///
/// Any element type; int8 tensors must share the input's scale and zero point (the bytes are copied).
public struct ReshapeOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.reshape

    public init() {}

    public func encode(into writer: inout ByteWriter) {}

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> ReshapeOptions { ReshapeOptions() }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(output, input.type, output: 0)
        guard output.shape.elementCount == input.shape.elementCount else {
            throw context.error(.shapeMismatch, "output shape \(output.shape) has \(output.shape.elementCount) elements, "
                                + "input \(input.shape) has \(input.shape.elementCount)", field: "shape", output: 0)
        }
        try context.requireCopiedQuantization(from: input, input: 0, to: output)
    }
}

extension OperatorContext {
    /// For operators that copy bytes (reshape, pad, concatenation, strided slice): an int8 output must have
    /// one scale and zero point, equal to those of the int8 input it copies from.
    func requireCopiedQuantization(from input: Tensor, input position: Int, to output: Tensor) throws(ModelError) {
        guard input.type == .int8 else { return }
        let source = try requirePerTensorQuantization(input, input: position)
        let destination = try requirePerTensorQuantization(output, output: 0)
        guard source.scale == destination.scale, source.zeroPoint == destination.zeroPoint else {
            throw error(.quantization, "output quantization (\(destination.scale), \(destination.zeroPoint)) must equal "
                        + "input \(position)'s (\(source.scale), \(source.zeroPoint)): the values are copied",
                        field: "quantization", input: position)
        }
    }
}
