import Foundation

/// The trainer's deterministic random generator (SplitMix64): every shuffle, initialisation, dropout mask
/// and augmentation draws from one of these, so a run replays exactly from its seed on one machine.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float uniformly in [0, 1), from the top 24 bits (every value exactly representable).
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A float uniformly in `range`.
    public mutating func uniform(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A standard normal sample (Box–Muller, one of the pair).
    public mutating func normal() -> Float {
        // 1 − u keeps the logarithm's argument in (0, 1].
        let u1 = 1.0 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2))
    }

    /// A generator for a sub-task (a layer, a data loader), derived from this one so that adding draws in
    /// one place does not shift every other stream.
    public mutating func split() -> RandomSource {
        RandomSource(seed: next())
    }
}
