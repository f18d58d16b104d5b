/// Options of concatenation along one axis (TFLite int8 concatenation: a plain copy).
///
/// Inputs: 1…64 tensors of the output's type and rank whose dimensions equal the output's except on
/// `axis`, where they add up to the output's. Int8 inputs share the output's scale and zero point.
/// TFLite's int8 kernel copies and applies no fused activation, so `activation` must be the full int8
/// range (the importer refuses a fused activation it cannot honour).
public struct ConcatenationOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.concatenation

    /// Non-negative (the writer resolves a negative axis against the rank).
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
        let output = context.output(0)
        let rank = output.shape.rank
        let axis = Int(self.axis)
        guard axis >= 0, axis < rank else {
            throw context.error(.invalidValue, "axis \(axis) is not an axis of the rank-\(rank) output", field: "axis", output: 0)
        }
        guard activation == .int8 else {
            throw context.error(.invalidValue, "int8 concatenation applies no activation; the clamp must be −128...127",
                                field: "activation")
        }
        var axisTotal = 0
        for position in 0..<context.inputIndices.count {
            let input = try context.requiredInput(position)
            try context.requireType(input, output.type, input: position)
            guard input.shape.rank == rank else {
                throw context.error(.shapeMismatch, "input \(position) has rank \(input.shape.rank), the output \(rank)",
                                    field: "shape", input: position)
            }
            for dimension in 0..<rank where dimension != axis && input.shape[dimension] != output.shape[dimension] {
                throw context.error(.shapeMismatch, "input \(position) shape \(input.shape) differs from the output "
                                    + "\(output.shape) outside axis \(axis)", field: "shape", input: position)
            }
            axisTotal += input.shape[axis]
            try context.requireCopiedQuantization(from: input, input: position, to: output)
        }
        guard axisTotal == output.shape[axis] else {
            throw context.error(.shapeMismatch, "inputs add up to \(axisTotal) on axis \(axis), the output has \(output.shape[axis])",
                                field: "shape", output: 0)
        }
    }
}
