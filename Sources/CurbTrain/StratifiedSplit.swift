/// A seeded, stratified training/validation split: each class is shuffled on its own and the first
/// `round(count · fraction)` of it go to validation (at least one and at most `count − 1` when the class
/// has two or more examples and the fraction is positive; a lone example stays in training), so every class keeps its share on both sides.
public struct StratifiedSplit: Sendable, Equatable {
    /// Indices into the labels given, ascending.
    public var training: [Int]
    public var validation: [Int]

    public init(labels: [Int], validationFraction: Double, seed: UInt64) {
        precondition(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0, 1)")
        var generator = RandomSource(seed: seed)
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var training: [Int] = [], validation: [Int] = []
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            members.shuffle(using: &generator)
            var held = Int((Double(members.count) * validationFraction).rounded())
            if members.count < 2 {
                held = 0  // a single example is worth more for training
            } else if validationFraction > 0 {
                held = min(max(held, 1), members.count - 1)
            }
            validation += members[..<held]
            training += members[held...]
        }
        self.training = training.sorted()
        self.validation = validation.sorted()
    }
}
