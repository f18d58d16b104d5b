/// Where every non-constant tensor lives in the arena, planned offline by the writer (``ArenaPlanner``)
/// and verified by the reader (``ModelValidator``).
public struct ArenaPlan: Sendable, Equatable {
    /// Every planned offset is a multiple of this.
    public static let alignment = 16

    /// The activation region's size: the high-water mark of the plan, rounded up to ``alignment``.
    public var size: Int
    /// One entry per tensor: the byte offset in the arena, or −1 for constants.
    public var offsets: [Int]

    public init(size: Int, offsets: [Int]) {
        self.size = size
        self.offsets = offsets
    }
}
