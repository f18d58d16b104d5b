import CurbAgent
import CurbReports
import CurbTestKit
import Foundation
import Testing

@Suite struct UploaderTests {
    @Test func batchesAreAcknowledgedInOrderWithStableKeysAndBearerToken() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...25)
        let transport = ScriptedTransport([])
        let uploader = makeUploader(state, transport)
        #expect(uploader.step() == .progressed)
        #expect(uploader.step() == .progressed)
        #expect(uploader.step() == .progressed)
        #expect(uploader.step() == .idle)
        #expect(transport.stored == Array(1...25))
        #expect(transport.requests.count == 3)
        #expect(transport.header("Idempotency-Key", request: 0) == "pole-7:r1:1-10")
        #expect(transport.header("Idempotency-Key", request: 2) == "pole-7:r1:21-25")
        #expect(transport.header("Authorization", request: 0) == "Bearer secret")
        #expect(transport.header("Content-Encoding", request: 0) == "gzip")
        #expect(uploader.status.acknowledged == 25)
        // The cursor survived: a new uploader has nothing to send.
        let again = makeUploader(state, ScriptedTransport([]))
        #expect(again.step() == .idle)
    }

    @Test func failuresRetryTheSameKeyAndBackOffWithFullJitterUnderTheCap() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...5)
        let failures: [TransportOutcome] = [.response(status: 500, retryAfterSeconds: nil), .failure("timeout"),
                                            .response(status: 429, retryAfterSeconds: nil), .failure("reset"),
                                            .response(status: 502, retryAfterSeconds: nil)]
        let transport = ScriptedTransport(failures)
        let uploader = makeUploader(state, transport)
        // Ceilings 1, 2, 4, 8, 8 s (base 1 s doubling, cap 8 s): each wait is within [0, ceiling].
        let ceilings: [UInt64] = [1, 2, 4, 8, 8].map { $0 * 1_000_000_000 }
        var waits: [UInt64] = []
        for ceiling in ceilings {
            guard case .retry(let after) = uploader.step() else { Issue.record("expected a retry"); return }
            #expect(after <= ceiling)
            waits.append(after)
        }
        #expect(Set(waits).count > 1, "jitter varies the waits")
        #expect(uploader.step() == .progressed)
        #expect(Set(transport.requests.indices.map { transport.header("Idempotency-Key", request: $0) }) == ["pole-7:r1:1-5"])
        #expect(transport.stored == [1, 2, 3, 4, 5])
        #expect(uploader.status.failedRequests == 5)
    }

    @Test func retryAfterIsHonoured() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...2)
        let uploader = makeUploader(temporary.url.path, ScriptedTransport([.response(status: 503, retryAfterSeconds: 120)]))
        #expect(uploader.step() == .retry(after: 120_000_000_000))
    }

    @Test func tooLargeSplitsTheBatchInHalf() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...8)
        let transport = ScriptedTransport([.response(status: 413, retryAfterSeconds: nil), .response(status: 413, retryAfterSeconds: nil)])
        let uploader = makeUploader(temporary.url.path, transport)
        #expect(uploader.step() == .progressed)  // 8 → 413
        #expect(uploader.step() == .progressed)  // 4 → 413
        #expect(uploader.step() == .progressed)  // 2 → stored
        let keys = transport.requests.indices.map { transport.header("Idempotency-Key", request: $0)! }
        #expect(keys == ["pole-7:r1:1-8", "pole-7:r1:1-4", "pole-7:r1:1-2"])
        while uploader.step() == .progressed {}
        #expect(transport.stored == Array(1...8))
    }

    @Test func authenticationFailurePausesAndKeepsRecords() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...3)
        let transport = ScriptedTransport([.response(status: 401, retryAfterSeconds: nil)])
        let uploader = makeUploader(temporary.url.path, transport)
        #expect(uploader.step() == .retry(after: UploadSettings(baseURL: "").authenticationPauseNanoseconds))
        #expect(uploader.status.authenticationRejected)
        #expect(transport.stored.isEmpty)
        #expect(uploader.acknowledged == .start)
        #expect(uploader.step() == .progressed)
        #expect(!uploader.status.authenticationRejected)
        #expect(transport.stored == [1, 2, 3])
    }

    @Test func otherClientErrorsQuarantineTheBatch() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...4)
        let transport = ScriptedTransport([.response(status: 400, retryAfterSeconds: nil)])
        let uploader = makeUploader(state, transport, batch: 2)
        #expect(uploader.step() == .progressed)
        #expect(uploader.status.quarantined == 2)
        #expect(uploader.status.lastError?.contains("quarantine-reports.ndjson") == true)
        let quarantine = try String(contentsOfFile: state + "/quarantine-reports.ndjson", encoding: .utf8)
        #expect(quarantine.split(separator: "\n").count == 2)
        while uploader.step() == .progressed {}
        #expect(transport.stored == [3, 4])
    }

    @Test func aLostAnswerResendsTheSameBatchAndTheCollectorKeepsItOnce() throws {
        let temporary = try TemporaryDirectory()
        try Spool.fill(temporary.url.path, 1...4)
        let transport = ScriptedTransport([])
        transport.dropResponseOnce = true
        let uploader = makeUploader(temporary.url.path, transport)
        guard case .retry = uploader.step() else { Issue.record("expected a retry"); return }
        #expect(uploader.step() == .progressed)
        #expect(transport.header("Idempotency-Key", request: 0) == transport.header("Idempotency-Key", request: 1))
        #expect(transport.stored == [1, 2, 3, 4])
        #expect(transport.duplicates == 4)  // re-sent; a deduplicating collector stores each once
    }

    @Test func batchesDoNotMixRunsAndAcknowledgedSegmentsAreDeleted() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        // Small segments: about three records each.
        try Spool.fill(state, 1...6, run: "a", segmentBytes: 300)
        try Spool.fill(state, 7...9, run: "b", segmentBytes: 300)
        let segmentsBefore = try FileManager.default.contentsOfDirectory(atPath: state + "/records").filter { $0.hasPrefix("seg-") }.count
        #expect(segmentsBefore >= 3)
        let transport = ScriptedTransport([])
        let uploader = makeUploader(state, transport, batch: 100)
        while uploader.step() == .progressed {}
        #expect(transport.stored == Array(1...9))
        let keys = transport.requests.indices.map { transport.header("Idempotency-Key", request: $0)! }
        #expect(keys.contains { $0.hasPrefix("pole-7:b:7-9") })
        #expect(!keys.contains { $0.contains(":a:") && $0.hasSuffix("-9") })
        let segmentsAfter = try FileManager.default.contentsOfDirectory(atPath: state + "/records").filter { $0.hasPrefix("seg-") }
        #expect(segmentsAfter.count == 1, "only the newest segment stays")
    }

    @Test func aRecordBeingWrittenIsNotSent() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...2)
        // Half of a third record, no newline yet (the writer is mid-append).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: state + "/records/seg-00000001.ndjson"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(RecordLine.seal(Spool.record(3)).prefix(20)))
        try handle.close()
        let transport = ScriptedTransport([])
        let uploader = makeUploader(state, transport)
        #expect(uploader.step() == .progressed)
        #expect(uploader.step() == .idle)
        #expect(transport.stored == [1, 2])
    }
}
