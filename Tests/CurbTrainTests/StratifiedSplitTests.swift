import Testing
@testable import CurbTrain

@Suite struct StratifiedSplitTests {
    @Test func everyClassKeepsItsShareAndTheSidesPartitionTheData() {
        // Class sizes 100, 40, 7 at 0.15: round(15), round(6), round(1.05) = 15, 6, 1 held out.
        let labels = Array(repeating: 0, count: 100) + Array(repeating: 1, count: 40) + Array(repeating: 2, count: 7)
        let split = StratifiedSplit(labels: labels, validationFraction: 0.15, seed: 4)
        #expect([0, 1, 2].map { label in split.validation.filter { labels[$0] == label }.count } == [15, 6, 1])
        #expect(Set(split.training).isDisjoint(with: split.validation))
        #expect((split.training + split.validation).sorted() == Array(0..<labels.count))
    }

    @Test func seedDecidesTheSplit() {
        let labels = (0..<200).map { $0 % 4 }
        let a = StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 1)
        #expect(a == StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 1))
        #expect(a != StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 2))
    }

    @Test func smallClassesKeepOneOnEachSide() {
        // Two examples at 0.1 would round to none held out; a tiny class still gets one of each.
        let split = StratifiedSplit(labels: [0, 0, 1, 1, 1], validationFraction: 0.1, seed: 1)
        #expect(split.validation.count == 2 && split.training.count == 3)
        #expect(StratifiedSplit(labels: [0, 1], validationFraction: 0.5, seed: 1).validation.isEmpty)
        #expect(StratifiedSplit(labels: [0, 0, 1], validationFraction: 0, seed: 1).validation.isEmpty)
    }
}
