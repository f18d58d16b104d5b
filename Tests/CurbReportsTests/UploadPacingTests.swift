import CurbAgent
import CurbReports
import CurbTestKit
import Foundation
import Testing

/// Notes when (on the manual clock) each body went out, and its size, then answers as the script says.
final class TimedTransport: HTTPTransport, @unchecked Sendable {
    let inner: ScriptedTransport
    let clock: ManualClock
    var sends: [(time: UInt64, bytes: Int)] = []
    init(_ inner: ScriptedTransport, clock: ManualClock) {
        self.inner = inner
        self.clock = clock
    }
    func post(url: String, body: [UInt8], headers: [(String, String)]) -> TransportOutcome {
        sends.append((clock.now(), body.count))
        return inner.post(url: url, body: body, headers: headers)
    }
}

@Suite struct UploadPacingTests {
    static func uploader(_ state: String, _ transport: HTTPTransport, clock: UploadClock, rate: Int) -> Uploader {
        var settings = UploadSettings(baseURL: "http://127.0.0.1:9/", token: nil)
        settings.batchRecords = 3
        settings.maximumBytesPerSecond = rate
        return Uploader(stateDirectory: state, settings: settings, transport: transport, clock: clock, random: FixedRandom())
    }

    /// Runs steps, letting the manual clock pass each wait, until idle.
    static func drain(_ uploader: Uploader, _ clock: ManualClock) {
        var steps = 0
        loop: while steps < 1000 {
            steps += 1
            switch uploader.step() {
            case .progressed: continue
            case .idle: break loop
            case .retry(let after): clock.wait(nanoseconds: after)
            }
        }
    }

    @Test func bodiesArePacedUnderTheLimit() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...30)
        let clock = ManualClock()
        let scripted = ScriptedTransport([.response(status: 200, retryAfterSeconds: nil), .failure("reset")])
        let transport = TimedTransport(scripted, clock: clock)
        let rate = 200  // bytes per second: each gzip body (~100+ bytes) takes about half a second
        let uploader = Self.uploader(temporary.url.path, transport, clock: clock, rate: rate)
        Self.drain(uploader, clock)
        #expect(scripted.stored == Array(1...30))
        #expect(transport.sends.count == 11)  // 10 batches of 3 and one retry after the reset
        // Over every window from one send to a later one, the bytes sent before the later send fit into
        // rate × elapsed: sum(bytes[i..<j]) · 10⁹ ≤ rate · (t_j − t_i) ns.
        for i in transport.sends.indices {
            for j in transport.sends.indices where j > i {
                let bytes = transport.sends[i..<j].reduce(0) { $0 + $1.bytes }
                let elapsed = transport.sends[j].time - transport.sends[i].time
                #expect(UInt64(bytes) * 1_000_000_000 <= UInt64(rate) * elapsed, "sends \(i)..<\(j) too fast")
            }
        }
        // And not far slower: the pause after each body is its own interval, rounded up (plus nothing
        // else, as the manual clock only moves by the waits the uploader asks for; the reset's backoff
        // wait is the one exception, and jitter may make it shorter than the interval).
        let total = transport.sends.dropLast().reduce(0) { $0 + $1.bytes }
        let span = transport.sends.last!.time - transport.sends.first!.time
        #expect(span <= UInt64(total) * 1_000_000_000 / UInt64(rate) + 8_000_000_000 + UInt64(transport.sends.count))
    }

    @Test func zeroMeansUnlimited() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...9)
        let clock = ManualClock()
        let transport = TimedTransport(ScriptedTransport([]), clock: clock)
        let uploader = Self.uploader(temporary.url.path, transport, clock: clock, rate: 0)
        Self.drain(uploader, clock)
        #expect(transport.sends.map(\.time) == [0, 0, 0])
    }

    @Test func aClockGoingBackDuringPacingDoesNotStall() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...12)
        let clock = BackwardsClock()
        let transport = ScriptedTransport([])
        let uploader = Self.uploader(state, transport, clock: clock, rate: 10)
        clock.uploader = uploader
        clock.stopWhen = { transport.stored.count == 12 }
        uploader.run()
        #expect(clock.waits.count < 500, "the uploader stalled")
        #expect(transport.stored == Array(1...12))
        #expect(transport.duplicates == 0)
    }
}
