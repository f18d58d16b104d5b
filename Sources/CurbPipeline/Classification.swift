/// The result of classifying one frame.
public struct Classification: Sendable, Equatable {
    /// One class and its score (a probability in 0…1 for classifier models).
    public struct Score: Sendable, Equatable {
        public var label: String
        public var score: Double
        public init(label: String, score: Double) {
            self.label = label
            self.score = score
        }
    }

    /// The best class, or ``unknownLabel`` when its score is below the threshold.
    public var label: String
    /// The best class's score (reported even when the label is `unknown`).
    public var score: Double
    /// The best `k` classes, highest first (ties: lower class index first).
    public var top: [Score]
    public var decodeMilliseconds: Double
    public var inferenceMilliseconds: Double

    /// The label reported when no class reaches the threshold.
    public static let unknownLabel = "unknown"
}
