/// A tensor's dimensions, stored inline (no heap) so kernels can copy shapes freely in hot paths.
///
/// Rank is at most ``TensorShape/maximumRank``; every dimension is at least 1 in a valid model.
public struct TensorShape: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The largest rank a `.curb` tensor may have.
    public static let maximumRank = 6

    public private(set) var rank: Int
    private var storage: (Int32, Int32, Int32, Int32, Int32, Int32)

    /// Creates a shape; `dimensions.count` must not exceed ``maximumRank``.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.count <= Self.maximumRank, "rank \(dimensions.count) exceeds \(Self.maximumRank)")
        rank = dimensions.count
        storage = (1, 1, 1, 1, 1, 1)
        for (index, value) in dimensions.enumerated() { self[index] = value }
    }

    public subscript(index: Int) -> Int {
        get {
            precondition(index >= 0 && index < rank, "dimension \(index) of a rank-\(rank) shape")
            return withUnsafeBytes(of: storage) { Int($0.load(fromByteOffset: index * 4, as: Int32.self)) }
        }
        set {
            precondition(index >= 0 && index < rank, "dimension \(index) of a rank-\(rank) shape")
            precondition(newValue >= 0 && newValue <= Int(Int32.max), "dimension \(newValue) out of range")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: Int32(newValue), toByteOffset: index * 4, as: Int32.self) }
        }
    }

    /// The dimensions as an array (allocates; not for hot paths).
    public var dimensions: [Int] { (0..<rank).map { self[$0] } }

    /// The product of all dimensions (1 for a scalar).
    public var elementCount: Int {
        var count = 1
        for index in 0..<rank { count &*= self[index] }
        return count
    }

    /// The product of all dimensions, or nil if it overflows `limit`.
    public func elementCount(notExceeding limit: Int) -> Int? {
        var count = 1
        for index in 0..<rank {
            let (product, overflow) = count.multipliedReportingOverflow(by: self[index])
            if overflow || product > limit { return nil }
            count = product
        }
        return count
    }

    public static func == (lhs: TensorShape, rhs: TensorShape) -> Bool {
        guard lhs.rank == rhs.rank else { return false }
        for index in 0..<lhs.rank where lhs[index] != rhs[index] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rank)
        for index in 0..<rank { hasher.combine(self[index]) }
    }

    public var description: String {
        "[" + dimensions.map(String.init).joined(separator: ", ") + "]"
    }
}
