/// Options of an int8 elementwise addition with broadcasting (TFLite's `AddFunc`).
///
/// Each input is shifted left by `leftShift` (20 for int8) and rescaled to a common scale, the sum is
/// rescaled to the output's.
public struct AddOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.add

    public var leftShift: Int32
    public var input1: Requantization
    public var input2: Requantization
    public var output: Requantization
    public var activation: ActivationRange

    public init(leftShift: Int32 = 20, input1: Requantization, input2: Requantization, output: Requantization,
                activation: ActivationRange = .int8) {
        self.leftShift = leftShift
        self.input1 = input1
        self.input2 = input2
        self.output = output
        self.activation = activation
    }

    public func encode(into writer: inout ByteWriter) {
        writer.int32(leftShift)
        input1.encode(into: &writer)
        input2.encode(into: &writer)
        output.encode(into: &writer)
        activation.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> AddOptions {
        AddOptions(leftShift: try reader.int32("left_shift", in: 0...20),
                   input1: try Requantization.decode(from: &reader, field: "input1"),
                   input2: try Requantization.decode(from: &reader, field: "input2"),
                   output: try Requantization.decode(from: &reader, field: "output"),
                   activation: try ActivationRange.decode(from: &reader))
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...2)
    }
}
