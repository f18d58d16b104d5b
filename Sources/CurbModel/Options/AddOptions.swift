/// Options of an int8 elementwise addition with numpy broadcasting (TFLite's `AddFunc`, BUILTIN_REF).
///
/// Each input is shifted left by `leftShift` (20 for int8) and rescaled to a common scale, the sum is
/// rescaled to the output's, the output zero point added and the activation clamp applied. Zero points
/// come from the tensors.
///
/// Inputs: two int8 tensors whose shapes broadcast (numpy rules, rank ≤ 6, a rank-0 scalar allowed);
/// output: int8 with the broadcast shape. All per-tensor quantized.
public struct AddOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.add

    public var leftShift: Int32
    /// `s1 / (2 · max(s1, s2))`, shift ≤ 0.
    public var input1: Requantization
    /// `s2 / (2 · max(s1, s2))`, shift ≤ 0.
    public var input2: Requantization
    /// `2 · max(s1, s2) / (2^leftShift · s_out)`, shift ≤ 0.
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

    /// Computes the options exactly as TFLite's `add.cc` Prepare does for int8: the larger scale is taken
    /// in float, every ratio in double, each multiplier quantized with `QuantizeMultiplierSmallerThanOneExp`.
    ///
    /// Throws when a ratio is not in (0, 1) (TFLite would abort), or a scale is not finite and positive.
    public static func make(input1Scale: Float, input2Scale: Float, outputScale: Float, outputZeroPoint: Int32,
                            activation: FusedActivation = .none) throws(ModelError) -> AddOptions {
        try requirePositiveScales([input1Scale, input2Scale, outputScale], field: "scales")
        let leftShift: Int32 = 20
        let twiceMaximumInputScale = 2 * Double(max(input1Scale, input2Scale))
        let real1 = Double(input1Scale) / twiceMaximumInputScale
        let real2 = Double(input2Scale) / twiceMaximumInputScale
        let realOutput = twiceMaximumInputScale / (Double(Int32(1) << leftShift) * Double(outputScale))
        return AddOptions(
            leftShift: leftShift,
            input1: try smallerThanOne(real1, field: "input1"),
            input2: try smallerThanOne(real2, field: "input2"),
            output: try smallerThanOne(realOutput, field: "output"),
            activation: QuantizationMath.activationRange(activation, scale: outputScale, zeroPoint: outputZeroPoint))
    }

    /// TFLite `QuantizeMultiplierSmallerThanOneExp`, throwing instead of aborting.
    static func smallerThanOne(_ real: Double, field: String) throws(ModelError) -> Requantization {
        guard real > 0, real < 1 else {
            throw ModelError(.quantization, "add: multiplier \(real) must lie in (0, 1)", field: field)
        }
        let result = QuantizationMath.quantizeMultiplier(real)
        guard result.shift <= 0 else {
            throw ModelError(.quantization, "add: multiplier \(real) rounds to 1", field: field)
        }
        return result
    }

    /// Throws unless every scale is finite and positive (the factories' common precondition).
    static func requirePositiveScales(_ scales: [Float], field: String) throws(ModelError) {
        for scale in scales where !(scale.isFinite && scale > 0) {
            throw ModelError(.quantization, "scale \(scale) must be finite and positive", field: field)
        }
    }

    /// The numpy broadcast of two shapes (dimensions aligned from the right; each pair equal or one of them
    /// 1), or nil if they do not broadcast.
    public static func broadcastShape(_ a: TensorShape, _ b: TensorShape) -> TensorShape? {
        let rank = max(a.rank, b.rank)
        guard rank <= TensorShape.maximumRank else { return nil }
        var dimensions = [Int](repeating: 1, count: rank)
        for position in 0..<rank {
            let da = position < rank - a.rank ? 1 : a[position - (rank - a.rank)]
            let db = position < rank - b.rank ? 1 : b[position - (rank - b.rank)]
            if da == db || db == 1 {
                dimensions[position] = da
            } else if da == 1 {
                dimensions[position] = db
            } else {
                return nil
            }
        }
        return TensorShape(dimensions)
    }

    /// The rules Add and Mul share: two int8 inputs and an int8 output, per-tensor quantized, whose shapes
    /// broadcast to the output's.
    static func validateBinaryBroadcast(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 2...2)
        let first = try context.requiredInput(0)
        let second = try context.requiredInput(1)
        let output = context.output(0)
        try context.requireType(first, .int8, input: 0)
        try context.requireType(second, .int8, input: 1)
        try context.requireType(output, .int8, output: 0)
        _ = try context.requirePerTensorQuantization(first, input: 0)
        _ = try context.requirePerTensorQuantization(second, input: 1)
        _ = try context.requirePerTensorQuantization(output, output: 0)
        guard let shape = broadcastShape(first.shape, second.shape) else {
            throw context.error(.shapeMismatch, "input shapes \(first.shape) and \(second.shape) do not broadcast",
                                field: "shape", input: 1)
        }
        try context.requireSameShape(output.shape, shape, output: 0)
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
        try Self.validateBinaryBroadcast(context)
        // MultiplyByQuantizedMultiplierSmallerThanOneExp only shifts right.
        for (requantization, field) in [(input1, "input1.shift"), (input2, "input2.shift"), (output, "output.shift")]
        where requantization.shift > 0 {
            throw context.error(.quantization, "\(field) must be ≤ 0, is \(requantization.shift)", field: field)
        }
    }
}
