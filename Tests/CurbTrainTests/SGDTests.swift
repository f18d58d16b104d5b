import Testing
@testable import CurbTrain

@Suite struct SGDTests {
    @Test func momentumAndWeightDecayByHand() {
        // w = 1, λ = 0.1, μ = 0.9, η = 0.5.
        // Step 1: ∇ = 2: g = 2 + 0.1·1 = 2.1, v = 2.1, w = 1 − 0.5·2.1 = −0.05.
        // Step 2: ∇ = 2: g = 2 + 0.1·(−0.05) = 1.995, v = 0.9·2.1 + 1.995 = 3.885, w = −0.05 − 1.9425 = −1.9925.
        let weight = Parameter(name: "w", value: FloatTensor(shape: [1], values: [1]), decays: true)
        let bias = Parameter(name: "b", value: FloatTensor(shape: [1], values: [1]), decays: false)
        let optimizer = SGD(momentum: 0.9, weightDecay: 0.1)
        for _ in 0..<2 {
            weight.gradient.values = [2]
            bias.gradient.values = [2]
            optimizer.step([weight, bias], learningRate: 0.5)
        }
        #expect(abs(weight.value.values[0] - -1.9925) < 1e-6)
        // The bias does not decay: v = 2 then 3.8; w = 1 − 1 − 1.9 = −1.9.
        #expect(abs(bias.value.values[0] - -1.9) < 1e-6)
    }

    @Test func nesterovLooksAhead() {
        // w = 0, ∇ = 1, μ = 0.5, η = 1: v = 1, update = g + μ·v = 1.5, w = −1.5.
        let weight = Parameter(name: "w", value: FloatTensor(shape: [1], values: [0]), decays: true)
        weight.gradient.values = [1]
        SGD(momentum: 0.5, nesterov: true).step([weight], learningRate: 1)
        #expect(weight.value.values == [-1.5])
    }
}
