import Testing
@testable import CurbTrain

@Suite struct LearningRateScheduleTests {
    @Test func constantAndStep() {
        #expect(LearningRateSchedule.constant(0.3).rate(atStep: 1000) == 0.3)
        // 0.1 · 0.5^⌊step / 10⌋.
        let step = LearningRateSchedule.step(initial: 0.1, factor: 0.5, interval: 10)
        #expect(step.rate(atStep: 0) == 0.1)
        #expect(step.rate(atStep: 9) == 0.1)
        #expect(step.rate(atStep: 10) == 0.05)
        #expect(step.rate(atStep: 25) == 0.025)
    }

    @Test func cosineWithWarmup() {
        // Peak 1, 4 warm-up steps: 0.25, 0.5, 0.75, 1. Then 8 steps of cosine to 0 at step 12:
        // step 4 → 1, step 8 (half way) → 0.5, step 12 and after → minimum.
        let schedule = LearningRateSchedule.cosine(peak: 1, warmupSteps: 4, totalSteps: 12, minimum: 0)
        #expect([0, 1, 2, 3].map { schedule.rate(atStep: $0) } == [0.25, 0.5, 0.75, 1])
        #expect(schedule.rate(atStep: 4) == 1)
        #expect(abs(schedule.rate(atStep: 8) - 0.5) < 1e-6)
        // Step 6: progress 2/8, 0.5 · (1 + cos(π/4)) ≈ 0.853553.
        #expect(abs(schedule.rate(atStep: 6) - 0.853553) < 1e-5)
        #expect(schedule.rate(atStep: 12) == 0)
        #expect(schedule.rate(atStep: 50) == 0)
        let floored = LearningRateSchedule.cosine(peak: 1, warmupSteps: 0, totalSteps: 10, minimum: 0.1)
        #expect(floored.rate(atStep: 0) == 1)
        #expect(abs(floored.rate(atStep: 10) - 0.1) < 1e-7)
    }
}
