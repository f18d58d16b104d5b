/// Options of an int8 elementwise multiplication with broadcasting.
public struct MulOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.mul

    /// `s1 · s2 / s_out` in fixed point.
    public var output: Requantization
    public var activation: ActivationRange

    public init(output: Requantization, activation: ActivationRange = .int8) {
        self.output = output
        self.activation = activation
    }

    public func encode(into writer: inout ByteWriter) {
        output.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> MulOptions {
        MulOptions(output: try Requantization.decode(from: &reader, field: "output"),
                   activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...2)
    }
}
