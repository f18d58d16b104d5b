import Testing
@testable import CurbTrain

@Suite struct FloatTensorTests {
    @Test func shapesCountsAndReshape() {
        let tensor = FloatTensor(shape: [2, 3, 1, 2], values: (0..<12).map(Float.init))
        #expect(tensor.count == 12 && tensor.batch == 2 && tensor.featuresPerExample == 6)
        let flat = tensor.reshaped([2, 6])
        #expect(flat.shape == [2, 6] && flat.values == tensor.values)
        #expect(FloatTensor(shape: [2, 2], repeating: 3).values == [3, 3, 3, 3])
    }

    @Test func randomStaysInRangeAndReplays() {
        var first = RandomSource(seed: 3), second = RandomSource(seed: 3)
        let a = FloatTensor.random(shape: [1000], in: -0.5...2, using: &first)
        #expect(a.values.allSatisfy { $0 >= -0.5 && $0 <= 2 })
        #expect(a == FloatTensor.random(shape: [1000], in: -0.5...2, using: &second))
    }
}
