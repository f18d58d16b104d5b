import CurbGzip
import CurbAgent
import CurbReports
import CurbTestKit
import Foundation
import Testing
import CurbJSON

/// A clock whose every wait moves time *backwards* by an hour (a wall clock stepped back by NTP, or a
/// broken RTC); it stops the uploader once the collector has everything, or after too many waits (a stall).
final class BackwardsClock: UploadClock, @unchecked Sendable {
    var time: UInt64 = 1_000_000 * 3_600_000_000_000
    var waits: [UInt64?] = []
    var stopWhen: () -> Bool = { false }
    weak var uploader: Uploader?
    func now() -> UInt64 { time }
    func wait(nanoseconds: UInt64?) {
        waits.append(nanoseconds)
        time &-= 3_600_000_000_000
        if stopWhen() || waits.count > 500 { uploader?.stop() }
    }
}

@Suite struct UploaderClockJumpTests {
    /// A spool whose records' wall times go back by an hour, then by a day, while seq rises.
    static func fillWithWallTimeGoingBack(_ state: String) throws {
        let store = try RecordStore(directory: state + "/records", segmentBytes: 1 << 20, fsync: .never) { _ in }
        let base = 1_790_000_000_000
        for seq in 1...30 {
            let jump = seq <= 10 ? 0 : (seq <= 20 ? 3_600_000 : 86_400_000)
            let wall = base + seq - jump
            let record: JSON = .object([("kind", .string("frame")), ("device", .string("pole-7")), ("run", .string("r1")),
                                        ("seq", .int(seq)), ("processed_unix_ms", .int(wall)),
                                        ("processed_at", .string(SystemInfo.iso8601(nanoseconds: Int64(wall) * 1_000_000)))])
            // The store's `now` goes back too.
            try store.append(record, now: UInt64(1_000_000 - seq))
        }
        try store.sync(now: 0)
    }

    @Test func aClockGoingBackwardsNeitherStallsNorLosesNorDuplicatesNorChangesKeys() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Self.fillWithWallTimeGoingBack(state)
        // Failures between successes, so the backoff and Retry-After paths run while time goes back.
        let transport = ScriptedTransport([.response(status: 200, retryAfterSeconds: nil), .response(status: 503, retryAfterSeconds: nil),
                                           .failure("timeout"), .response(status: 429, retryAfterSeconds: 2),
                                           .response(status: 200, retryAfterSeconds: nil), .failure("reset")])
        let clock = BackwardsClock()
        var settings = UploadSettings(baseURL: "http://127.0.0.1:9/", token: nil)
        settings.batchRecords = 7
        settings.initialBackoffNanoseconds = 1_000_000_000
        settings.maximumBackoffNanoseconds = 8_000_000_000
        let uploader = Uploader(stateDirectory: state, settings: settings, transport: transport, clock: clock, random: FixedRandom())
        clock.uploader = uploader
        clock.stopWhen = { transport.stored.count == 30 }
        uploader.run()

        #expect(clock.waits.count < 500, "the uploader stalled")
        #expect(transport.stored == Array(1...30))
        #expect(transport.duplicates == 0)
        // Every wait was a finite, bounded one (backoff cap 8 s, Retry-After 2 s, idle 30 s): none grew
        // from a negative time difference.
        for wait in clock.waits { #expect(wait != nil && wait! <= 30_000_000_000) }
        // Each request's key names exactly the seqs in its body; retries repeat the key of the same body.
        var keyOfBody: [[UInt8]: String] = [:]
        for index in transport.requests.indices {
            let plain = Gzip.decompress(transport.requests[index].body, limit: 1 << 20)!
            let seqs = plain.split(separator: 10).map { JSONParser.parse($0)!["seq"]!.intValue! }
            let key = transport.header("Idempotency-Key", request: index)!
            #expect(key == "pole-7:r1:\(seqs.first!)-\(seqs.last!)")
            if let earlier = keyOfBody[plain] { #expect(earlier == key) }
            keyOfBody[plain] = key
        }
        // 30 records in batches of 7: 5 batches, plus one retry per failure (4).
        #expect(transport.requests.count == 5 + 4)
        // The cursor is durable: a new uploader has nothing left to send.
        let again = makeUploader(state, ScriptedTransport([]))
        #expect(again.step() == .idle)
    }
}
