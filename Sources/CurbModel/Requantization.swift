/// A real multiplier `M ≈ multiplier · 2^(shift − 31)` in TFLite's fixed-point form.
///
/// `shift > 0` shifts left before the high multiply, `shift < 0` divides by a power of two after it
/// (rounding half away from zero). Computed once by the model's writer (``QuantizationMath``); the
/// runtime only applies it.
public struct Requantization: Sendable, Equatable, Hashable {
    public var multiplier: Int32
    public var shift: Int32

    public init(multiplier: Int32, shift: Int32) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The multiplier that maps everything to zero.
    public static let zero = Requantization(multiplier: 0, shift: 0)

    /// The legal range of ``shift``: TFLite never produces more than a 31-bit right shift, and a left shift
    /// beyond 30 bits would overflow every non-zero input.
    public static let shiftRange: ClosedRange<Int32> = -31...30

    /// Writes multiplier then shift.
    public func encode(into writer: inout ByteWriter) {
        writer.int32(multiplier)
        writer.int32(shift)
    }

    /// Reads and range-checks multiplier (≥ 0) then shift.
    public static func decode(from reader: inout ByteReader, field: String) throws(ModelError) -> Requantization {
        let multiplier = try reader.int32(field + ".multiplier", in: 0...Int32.max)
        let shift = try reader.int32(field + ".shift", in: shiftRange)
        return Requantization(multiplier: multiplier, shift: shift)
    }

    /// A counted list of requantizations (count checked before allocating).
    public static func encodeArray(_ values: [Requantization], into writer: inout ByteWriter) {
        writer.uint32(UInt32(values.count))
        for value in values { value.encode(into: &writer) }
    }

    /// Reads a counted list of at most `maximum` requantizations.
    public static func decodeArray(from reader: inout ByteReader, field: String, maximum: Int) throws(ModelError) -> [Requantization] {
        let count = try reader.count(field, elementSize: 8, maximum: maximum)
        var values: [Requantization] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try decode(from: &reader, field: field)) }
        return values
    }
}

/// Clamp bounds applied after requantization (fused ReLU / ReLU6, or the int8 range).
public struct ActivationRange: Sendable, Equatable, Hashable {
    public var minimum: Int32
    public var maximum: Int32

    public init(minimum: Int32, maximum: Int32) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The whole int8 range: no activation.
    public static let int8 = ActivationRange(minimum: -128, maximum: 127)

    public func encode(into writer: inout ByteWriter) {
        writer.int32(minimum)
        writer.int32(maximum)
    }

    /// Reads the bounds; both must be int8 values and minimum ≤ maximum.
    public static func decode(from reader: inout ByteReader, field: String = "activation") throws(ModelError) -> ActivationRange {
        let minimum = try reader.int32(field + ".minimum", in: -128...127)
        let maximum = try reader.int32(field + ".maximum", in: -128...127)
        guard minimum <= maximum else {
            throw reader.error(.invalidValue, "minimum \(minimum) exceeds maximum \(maximum)", field: field)
        }
        return ActivationRange(minimum: minimum, maximum: maximum)
    }
}

/// Explicit zero padding of a 2-D window operator, computed by the writer from SAME/VALID.
public struct Padding2D: Sendable, Equatable, Hashable {
    public var top: Int32
    public var left: Int32
    public var bottom: Int32
    public var right: Int32

    public init(top: Int32, left: Int32, bottom: Int32, right: Int32) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    public static let zero = Padding2D(top: 0, left: 0, bottom: 0, right: 0)

    public func encode(into writer: inout ByteWriter) {
        writer.int32(top); writer.int32(left); writer.int32(bottom); writer.int32(right)
    }

    /// Reads four paddings, each in 0...65535.
    public static func decode(from reader: inout ByteReader) throws(ModelError) -> Padding2D {
        let range: ClosedRange<Int32> = 0...65_535
        return Padding2D(top: try reader.int32("padding.top", in: range), left: try reader.int32("padding.left", in: range),
                         bottom: try reader.int32("padding.bottom", in: range), right: try reader.int32("padding.right", in: range))
    }
}
