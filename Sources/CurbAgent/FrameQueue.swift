/// The frames waiting for inference: the backlog found at start (or when a directory comes back), which
/// is never skipped and always goes first, and a bounded ring of live frames. When a live frame arrives
/// and the ring is full, the oldest waiting live frame is pushed out and handed back to be skipped:
/// frames are perishable, and memory stays flat whatever the arrival rate.
public struct FrameQueue<Element> {
    public let capacity: Int
    private var backlog: [Element] = []
    private var backlogHead = 0
    private var ring: [Element?]
    private var ringHead = 0
    public private(set) var liveCount = 0

    public init(capacity: Int) {
        precondition(capacity >= 1, "a queue holds at least one frame")
        self.capacity = capacity
        ring = Array(repeating: nil, count: capacity)
    }

    public var backlogCount: Int { backlog.count - backlogHead }
    public var count: Int { backlogCount + liveCount }
    public var isEmpty: Bool { count == 0 }

    /// Adds a frame of the backlog (kept whatever the count: the backlog is never skipped).
    public mutating func appendBacklog(_ element: Element) { backlog.append(element) }

    /// Adds a live frame; returns the oldest live frame it displaced when the ring was full.
    public mutating func appendLive(_ element: Element) -> Element? {
        if liveCount == capacity {
            let oldest = ring[ringHead]
            ring[ringHead] = element
            ringHead = (ringHead + 1) % capacity
            return oldest
        }
        ring[(ringHead + liveCount) % capacity] = element
        liveCount += 1
        return nil
    }

    /// The next frame: the backlog's first, else the oldest live frame.
    public mutating func next() -> Element? {
        if backlogHead < backlog.count {
            let element = backlog[backlogHead]
            backlogHead += 1
            if backlogHead == backlog.count {
                // Drained: give the memory back rather than keep a start-up-sized array for months.
                backlog = []
                backlogHead = 0
            }
            return element
        }
        guard liveCount > 0 else { return nil }
        let element = ring[ringHead]
        ring[ringHead] = nil
        ringHead = (ringHead + 1) % capacity
        liveCount -= 1
        return element
    }
}
