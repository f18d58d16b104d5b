import Testing
import CurbTestKit
import Foundation
@testable import CurbAgent
import CurbJSON

@Suite struct RecordStoreTests {
    static func record(_ seq: Int) -> JSON {
        .object([("kind", .string("frame")), ("seq", .int(seq)), ("file", .string("f\(seq).jpg"))])
    }

    static func open(_ directory: String, segmentBytes: Int = 1 << 20, maximumBytes: Int = 1 << 30) throws -> (RecordStore, [Int]) {
        var seen: [Int] = []
        let store = try RecordStore(directory: directory, segmentBytes: segmentBytes, maximumBytes: maximumBytes, fsync: .never) {
            seen.append($0["seq"]!.intValue!)
        }
        return (store, seen)
    }

    @Test func recordsSurviveReopenInOrder() throws {
        let temporary = try TemporaryDirectory()
        do {
            let (store, seen) = try Self.open(temporary.path("records"))
            #expect(seen.isEmpty)
            for seq in 1...5 { try store.append(Self.record(seq), now: 0) }
        }
        let (_, seen) = try Self.open(temporary.path("records"))
        #expect(seen == [1, 2, 3, 4, 5])
    }

    @Test func tornTailIsCutAndAppendsContinueOnABoundary() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.path("records")
        do {
            let (store, _) = try Self.open(directory)
            for seq in 1...3 { try store.append(Self.record(seq), now: 0) }
        }
        let segment = directory + "/seg-00000001.ndjson"
        let whole = try Data(contentsOf: URL(fileURLWithPath: segment))
        // A crash mid-write: half of a fourth record, no newline.
        let fourth = RecordLine.seal(Self.record(4))
        try (whole + Data(fourth.prefix(fourth.count / 2))).write(to: URL(fileURLWithPath: segment))
        do {
            let (store, seen) = try Self.open(directory)
            #expect(seen == [1, 2, 3])
            #expect(store.openReport.repairedBytes == fourth.count / 2)
            #expect(try Data(contentsOf: URL(fileURLWithPath: segment)) == whole)
            try store.append(Self.record(5), now: 0)
        }
        let (_, seen) = try Self.open(directory)
        #expect(seen == [1, 2, 3, 5])
    }

    @Test func damagedLineInTheMiddleIsSkippedNotCut() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.path("records")
        do {
            let (store, _) = try Self.open(directory)
            for seq in 1...3 { try store.append(Self.record(seq), now: 0) }
        }
        let url = URL(fileURLWithPath: directory + "/seg-00000001.ndjson")
        var bytes = [UInt8](try Data(contentsOf: url))
        let secondLine = bytes.firstIndex(of: 10)! + 1
        bytes[secondLine + 12] ^= 0x01  // one flipped bit in record 2
        try Data(bytes).write(to: url)
        let (store, seen) = try Self.open(directory)
        #expect(seen == [1, 3])
        #expect(store.openReport.damagedLines == 1 && store.openReport.repairedBytes == 0)
    }

    @Test func segmentsRotateAndTheCapDropsTheOldest() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.path("records")
        let lineBytes = RecordLine.seal(Self.record(10)).count
        do {
            // 4 records per segment, at most 2 segments' worth kept.
            let (store, _) = try Self.open(directory, segmentBytes: 4 * lineBytes + 1, maximumBytes: 8 * lineBytes + 2)
            for seq in 10..<30 { try store.append(Self.record(seq), now: 0) }
            #expect(store.droppedRecords == 12)
            #expect(store.totalBytes <= 8 * lineBytes + 2)
        }
        let (_, seen) = try Self.open(directory)
        #expect(seen == Array(22..<30))
    }

    @Test func sealedLineIsPlainJSONWithItsCRC() throws {
        let line = RecordLine.seal(.object([("kind", .string("health")), ("note", .string("a \"quoted\" é"))]))
        #expect(line.last == 10)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["note"] as? String == "a \"quoted\" é")
        #expect((object["crc"] as? String)?.count == 8)
        #expect(RecordLine.open(line.dropLast()) != nil)
        #expect(RecordLine.open(line.dropLast(2)) == nil)
    }
}
