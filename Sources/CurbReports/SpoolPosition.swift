/// A place in the spool: a segment number and a byte offset in it. The acknowledgement cursor is the
/// position just after the last record the collector acknowledged.
public struct SpoolPosition: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var segment: Int
    public var offset: Int

    public init(segment: Int, offset: Int) {
        self.segment = segment
        self.offset = offset
    }

    /// Before every record.
    public static let start = SpoolPosition(segment: 0, offset: 0)

    public static func < (lhs: SpoolPosition, rhs: SpoolPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    public var description: String { "\(segment):\(offset)" }
}
