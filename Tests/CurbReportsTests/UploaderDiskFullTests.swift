import CurbAgent
import CurbReports
import CurbTestKit
import Foundation
import Testing

@Suite struct UploaderDiskFullTests {
    /// The cursor writer fails (an injected file-system error: a directory stands where
    /// `upload-cursor.tmp` is created, so open fails as a full card's write would): the collector has
    /// stored the batch, but the cursor cannot move. Nothing leaves the spool, the uploader keeps retrying
    /// the same batch with the same key, and once writing works again every record is stored exactly once.
    @Test func aCursorThatCannotBeWrittenLosesNothingAndRecovers() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        try Spool.fill(state, 1...6, segmentBytes: 300)
        let segmentsBefore = try FileManager.default.contentsOfDirectory(atPath: state + "/records").sorted()
        let blocker = AcknowledgementCursor.path(stateDirectory: state) + ".tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        let transport = ScriptedTransport([])
        let uploader = makeUploader(state, transport, batch: 3)
        for _ in 0..<3 {
            guard case .retry = uploader.step() else { Issue.record("expected a retry while the cursor cannot be written"); return }
        }
        #expect(uploader.acknowledged == .start)
        #expect(uploader.status.lastError?.contains("upload cursor") == true)
        #expect(!FileManager.default.fileExists(atPath: AcknowledgementCursor.path(stateDirectory: state)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/records").sorted() == segmentsBefore, "no segment left")
        let keys = transport.requests.indices.map { transport.header("Idempotency-Key", request: $0)! }
        #expect(keys == Array(repeating: "pole-7:r1:1-3", count: 3))
        // Space returns.
        try FileManager.default.removeItem(atPath: blocker)
        while uploader.step() == .progressed {}
        #expect(transport.stored == Array(1...6), "each record stored once by the deduplicating collector")
        #expect(uploader.status.acknowledged == 6)
        #expect(makeUploader(state, ScriptedTransport([])).step() == .idle)
    }
}
