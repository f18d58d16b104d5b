import Testing
@testable import CurbAgent

@Suite struct FrameQueueTests {
    @Test func backlogGoesFirstAndIsNeverSkipped() {
        var queue = FrameQueue<Int>(capacity: 2)
        for value in 100..<110 { queue.appendBacklog(value) }
        #expect(queue.appendLive(1) == nil)
        #expect(queue.appendLive(2) == nil)
        // Full: the oldest live frame (1) is pushed out, never a backlog frame.
        #expect(queue.appendLive(3) == 1)
        #expect(queue.count == 12)
        var order: [Int] = []
        while let value = queue.next() { order.append(value) }
        #expect(order == Array(100..<110) + [2, 3])
    }

    @Test func ringWrapsAround() {
        var queue = FrameQueue<Int>(capacity: 3)
        var skipped: [Int] = []
        for value in 0..<10 { if let out = queue.appendLive(value) { skipped.append(out) } }
        #expect(skipped == Array(0..<7))
        #expect(queue.next() == 7)
        #expect(queue.appendLive(10) == nil)
        #expect([queue.next(), queue.next(), queue.next(), queue.next()] == [8, 9, 10, nil])
    }
}
