import Testing
@testable import CurbTrain

@Suite struct ActivationMaskTests {
    @Test func simdAndTailAgreeWithThePlainRule() {
        // 19 values: two 8-lane blocks and a 3-value tail, including both bounds exactly.
        let x: [Float] = [-1, 0, 0.5, 6, 7, 3, 5.99, 0.01, 2, -3, 6, 1, 0, 4, 9, 0.2, 6, 0, 1]
        let gradient = (0..<19).map { Float($0 + 1) }
        var result = [Float](repeating: -1, count: 19)
        ActivationMask.apply(gradient: gradient, input: x, count: 19, lower: 0, upper: 6, into: &result)
        #expect(result == (0..<19).map { x[$0] > 0 && x[$0] < 6 ? gradient[$0] : 0 })
    }
}
