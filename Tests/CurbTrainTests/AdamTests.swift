import Testing
@testable import CurbTrain

@Suite struct AdamTests {
    @Test func firstStepMovesByTheLearningRate() {
        // Step 1 with ∇ = g: m̂ = g, v̂ = g², so w moves by η · g / (|g| + ε) ≈ η · sign(g).
        let weight = Parameter(name: "w", value: FloatTensor(shape: [2], values: [1, 1]), decays: true)
        weight.gradient.values = [4, -0.5]
        Adam(epsilon: 1e-8).step([weight], learningRate: 0.1)
        #expect(abs(weight.value.values[0] - 0.9) < 1e-6)
        #expect(abs(weight.value.values[1] - 1.1) < 1e-6)
    }

    @Test func secondStepByHand() {
        // β₁ = 0.5, β₂ = 0.75, ε = 0, η = 1, w = 0; ∇ = 1 then 3.
        // Step 1: m = 0.5, v = 0.25; m̂ = 1, v̂ = 1; w = −1.
        // Step 2: m = 0.25 + 1.5 = 1.75, v = 0.1875 + 2.25 = 2.4375; m̂ = 1.75 / 0.75 = 7/3,
        // v̂ = 2.4375 / 0.4375 = 39/7; w = −1 − (7/3) / sqrt(39/7) ≈ −1 − 0.988534.
        let weight = Parameter(name: "w", value: FloatTensor(shape: [1], values: [0]), decays: true)
        let optimizer = Adam(beta1: 0.5, beta2: 0.75, epsilon: 1e-30)
        weight.gradient.values = [1]
        optimizer.step([weight], learningRate: 1)
        weight.gradient.values = [3]
        optimizer.step([weight], learningRate: 1)
        let expected = -1 - (7.0 / 3.0) / (39.0 / 7.0).squareRoot()
        #expect(abs(Double(weight.value.values[0]) - expected) < 1e-5)
        #expect(optimizer.stepCount == 2)
    }

    @Test func decoupledAndCoupledWeightDecayDiffer() {
        // w = 2, ∇ = 0, λ = 0.1, η = 0.5, ε tiny.
        // AdamW: w ← w − η·λ·w − η·m̂/(sqrt(v̂)+ε) = 2 − 0.1 − 0 = 1.9.
        // Adam + L2: g = λw = 0.2 → the Adam step is η·sign(g) = 0.5 → w = 1.5.
        let decoupled = Parameter(name: "w", value: FloatTensor(shape: [1], values: [2]), decays: true)
        Adam.adamW(weightDecay: 0.1, epsilon: 1e-12).step([decoupled], learningRate: 0.5)
        #expect(abs(decoupled.value.values[0] - 1.9) < 1e-6)
        let coupled = Parameter(name: "w", value: FloatTensor(shape: [1], values: [2]), decays: true)
        Adam(epsilon: 1e-12, weightDecay: 0.1).step([coupled], learningRate: 0.5)
        #expect(abs(coupled.value.values[0] - 1.5) < 1e-6)
        // Parameters that do not decay are left alone by either kind when their gradient is zero.
        let bias = Parameter(name: "b", value: FloatTensor(shape: [1], values: [2]), decays: false)
        Adam.adamW(weightDecay: 0.1).step([bias], learningRate: 0.5)
        #expect(bias.value.values == [2])
    }
}
