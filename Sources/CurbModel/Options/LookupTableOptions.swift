import Glibc  // expf only: the logistic table must be built with the same libm function as LiteRT's.

/// A 256-entry int8 → int8 table, indexed by the input byte as unsigned (`table[UInt8(bitPattern: x)]`).
///
/// Used by operators whose reference result is a float function evaluated once per input value
/// (TFLite's LOGISTIC is a float LUT in both its reference and optimized kernels): the writer evaluates
/// it, so the runtime does no float maths and cannot drift with a board's libm.
///
/// LOGISTIC: input int8 (per-tensor), output int8 of the same shape with zero point −128 and scale
/// exactly 1/256.
public struct LookupTableOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.logistic

    /// Exactly 256 entries.
    public var table: [Int8]

    public init(table: [Int8]) {
        precondition(table.count == 256, "a lookup table has 256 entries")
        self.table = table
    }

    /// The LOGISTIC table exactly as TFLite's `SigmoidPrepare` builds it (`LUTPopulate<int8_t>`), all in
    /// float: `r = s_in · (q − zp_in)`, `t = 1 / (1 + expf(−r))`, `o = roundf(t · (1 / s_out)) + zp_out`
    /// (a float sum, truncated), clamped to int8.
    ///
    /// The entries depend on the libm `expf` (glibc here, as in LiteRT's Linux builds).
    public static func logistic(inputScale: Float, inputZeroPoint: Int32, outputScale: Float,
                                outputZeroPoint: Int32) throws(ModelError) -> LookupTableOptions {
        try AddOptions.requirePositiveScales([inputScale, outputScale], field: "scales")
        let inverseScale: Float = 1 / outputScale
        var table = [Int8](repeating: 0, count: 256)
        for value in Int32(-128)...127 {
            let dequantized = inputScale * Float(value - inputZeroPoint)
            let transformed: Float = 1 / (1 + Glibc.expf(-dequantized))
            let rescaled = (transformed * inverseScale).rounded(.toNearestOrAwayFromZero)
            let quantized = truncatedInt32(rescaled + Float(outputZeroPoint))
            table[Int(UInt8(bitPattern: Int8(value)))] = Int8(max(min(127, quantized), -128))
        }
        return LookupTableOptions(table: table)
    }

    /// C++ `static_cast<int32_t>(float)` (truncation toward zero), saturating where C++ is undefined.
    static func truncatedInt32(_ value: Float) -> Int32 {
        if value.isNaN { return 0 }
        if value >= 2_147_483_648 { return .max }
        if value <= -2_147_483_648 { return .min }
        return Int32(value.rounded(.towardZero))
    }

    public func encode(into writer: inout ByteWriter) {
        for value in table { writer.int8(value) }
    }

    public static func decode(from reader: inout ByteReader) throws(ModelError) -> LookupTableOptions {
        try reader.require(256, field: "table")
        var table: [Int8] = []
        table.reserveCapacity(256)
        for _ in 0..<256 { table.append(try reader.int8("table")) }
        return LookupTableOptions(table: table)
    }

    public func validate(_ context: OperatorContext) throws(ModelError) {
        try context.requireArity(inputs: 1...1)
        let input = try context.requiredInput(0)
        let output = context.output(0)
        try context.requireType(input, .int8, input: 0)
        try context.requireType(output, .int8, output: 0)
        _ = try context.requirePerTensorQuantization(input, input: 0)
        try context.requireSameShape(output.shape, input.shape, output: 0)
        guard table.count == 256 else {
            throw context.error(.invalidValue, "the table has \(table.count) entries, needs 256", field: "table")
        }
        try SoftmaxOptions.requireProbabilityOutput(context, output)
    }
}
