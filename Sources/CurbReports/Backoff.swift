/// Exponential backoff with full jitter: after the n-th consecutive failure, wait a uniformly random time
/// in [0, min(cap, base · 2ⁿ⁻¹)], so many boards that lost the collector together do not return in step.
public struct Backoff: Sendable {
    public var baseNanoseconds: UInt64
    public var capNanoseconds: UInt64
    /// Consecutive failures so far.
    public private(set) var failures = 0

    public init(baseNanoseconds: UInt64, capNanoseconds: UInt64) {
        self.baseNanoseconds = baseNanoseconds
        self.capNanoseconds = max(capNanoseconds, baseNanoseconds)
    }

    /// The ceiling of the next wait: base · 2^(failures-1), capped.
    public var ceiling: UInt64 {
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 40)
        let (grown, overflow) = baseNanoseconds.multipliedReportingOverflow(by: UInt64(1) << UInt64(doublings))
        return overflow ? capNanoseconds : min(grown, capNanoseconds)
    }

    /// Records a failure and returns the wait before the next try, drawn with `random`.
    public mutating func fail<Generator: RandomNumberGenerator>(using random: inout Generator) -> UInt64 {
        failures += 1
        return UInt64.random(in: 0...ceiling, using: &random)
    }

    /// A success: the next failure starts small again.
    public mutating func reset() { failures = 0 }
}
