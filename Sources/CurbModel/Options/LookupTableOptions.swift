/// A 256-entry int8 → int8 table, indexed by the input byte as unsigned (`table[UInt8(bitPattern: x)]`).
///
/// Used by operators whose reference result is a float function evaluated once per input value
/// (TFLite's LOGISTIC is a float LUT): the writer evaluates it, so the runtime does no float maths and
/// cannot drift with a board's libm.
public struct LookupTableOptions: OperatorOptionsCoding {
    public static let kind = OperatorKind.logistic

    /// Exactly 256 entries.
    public var table: [Int8]

    public init(table: [Int8]) {
        precondition(table.count == 256, "a lookup table has 256 entries")
        self.table = table
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
    }
}
