import Testing
@testable import CurbTrain

@Suite struct OptimizerTests {
    @Test func slotsAreZeroedPerParameterAndKept() {
        var slots = OptimizerSlots(buffersPerParameter: 2)
        let first = Parameter(name: "a", value: FloatTensor(shape: [3]), decays: true)
        let second = Parameter(name: "b", value: FloatTensor(shape: [1]), decays: true)
        slots.withBuffers(for: first) { buffers in
            #expect(buffers.count == 2 && buffers[0] == [0, 0, 0])
            buffers[1][2] = 5
        }
        slots.withBuffers(for: second) { buffers in #expect(buffers[1] == [0]) }
        slots.withBuffers(for: first) { buffers in #expect(buffers[1] == [0, 0, 5]) }
    }
}
