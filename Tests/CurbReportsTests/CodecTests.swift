import CurbGzip
import CurbReports
import CurbTestKit
import Foundation
import Testing

@Suite struct ReportsCodecTests {
    @Test func gzipRoundTripsAndHasTheGzipMagic() {
        var generator = SeededGenerator(seed: 7)
        let text = (0..<2000).map { _ in UInt8.random(in: 97...102, using: &generator) }
        let packed = Gzip.compress(text)
        #expect(packed.prefix(2) == [0x1f, 0x8b])
        #expect(packed.count < text.count)
        #expect(Gzip.decompress(packed, limit: 1 << 20) == text)
        #expect(Gzip.decompress(packed, limit: 100) == nil)
        #expect(Gzip.decompress(Array(packed.dropLast(9)), limit: 1 << 20) == nil)
    }

    @Test func cursorIsDurableAndADamagedOneStartsOver() throws {
        let temporary = try TemporaryDirectory()
        let state = temporary.url.path
        #expect(AcknowledgementCursor.load(stateDirectory: state) == .start)
        try AcknowledgementCursor.store(SpoolPosition(segment: 3, offset: 1234), stateDirectory: state)
        #expect(AcknowledgementCursor.load(stateDirectory: state) == SpoolPosition(segment: 3, offset: 1234))
        let path = AcknowledgementCursor.path(stateDirectory: state)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "1234", with: "1235")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(AcknowledgementCursor.load(stateDirectory: state) == .start)
    }

    @Test func backoffCeilingDoublesToTheCap() {
        var backoff = Backoff(baseNanoseconds: 100, capNanoseconds: 1000)
        var random = SystemRandomNumberGenerator()
        var ceilings: [UInt64] = []
        for _ in 0..<6 {
            _ = backoff.fail(using: &random)
            ceilings.append(backoff.ceiling)
        }
        #expect(ceilings == [100, 200, 400, 800, 1000, 1000])
        backoff.reset()
        #expect(backoff.ceiling == 0)
    }

    @Test func idempotencyKeyDependsOnlyOnTheRecordKeys() {
        #expect(IdempotencyKey.make(device: "pole 7", run: "ab", firstSequence: 1, lastSequence: 9) == "pole_7:ab:1-9")
        #expect(IdempotencyKey.make(device: "p", run: "ab", firstSequence: 1, lastSequence: 9)
            != IdempotencyKey.make(device: "p", run: "ab", firstSequence: 1, lastSequence: 10))
    }
}
