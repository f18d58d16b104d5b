import Testing
@testable import CurbTrain

@Suite struct TrainingErrorTests {
    @Test func describesItselfByItsMessage() {
        let error = TrainingError("layer 2: Dense: input has 4 features, expected 5")
        #expect("\(error)" == "layer 2: Dense: input has 4 features, expected 5")
    }
}
