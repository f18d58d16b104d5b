/// Options of concatenation along one axis (all inputs share the output's scale and zero point).
public struct ConcatenationOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.concatenation

    public var axis: Int32
    public var activation: ActivationRange

    public init(axis: Int32, activation: ActivationRange = .int8) {
        self.axis = axis
        self.activation = activation
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(axis)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> ConcatenationOptions {
        ConcatenationOptions(axis: try reader.int32("axis", in: 0...Int32(TensorShape.maximumRank - 1)),
                             activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...64)
    }
}
