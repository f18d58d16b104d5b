import CurbGzip
import CurbCollector
import CurbReports
import CurbTestKit
import Foundation
import Testing

@Suite(.serialized) struct CollectorServiceTests {
    static func line(_ seq: Int, device: String = "pole-1", run: String = "r", label: String = "car") -> String {
        "{\"kind\":\"frame\",\"device\":\"\(device)\",\"run\":\"\(run)\",\"seq\":\(seq),\"label\":\"\(label)\"}"
    }

    static func post(_ collector: CollectorProcess, _ body: String, token: String? = "t0ken", gzip: Bool = true) -> TransportOutcome {
        var headers: [(String, String)] = [("Content-Type", "application/x-ndjson")]
        if gzip { headers.append(("Content-Encoding", "gzip")) }
        if let token { headers.append(("Authorization", "Bearer " + token)) }
        let bytes = Array(body.utf8)
        return CurlTransport().post(url: collector.baseURL + "/v1/reports", body: gzip ? Gzip.compress(bytes) : bytes, headers: headers)
    }

    @Test func storesDeduplicatesAndSummarizes() throws {
        let temporary = try TemporaryDirectory()
        let collector = try CollectorProcess(in: temporary)
        #expect(try collector.get("/healthz").status == 200)
        let batch = (1...3).map { Self.line($0) }.joined(separator: "\n") + "\n"
        #expect(Self.post(collector, batch) == .response(status: 200, retryAfterSeconds: nil))
        // The same batch again (a retry) and an overlapping plain one: nothing stored twice.
        #expect(Self.post(collector, batch) == .response(status: 200, retryAfterSeconds: nil))
        let overlap = [Self.line(3), Self.line(4, label: "bus"), Self.line(1, device: "pole-2")].joined(separator: "\n")
        #expect(Self.post(collector, overlap, gzip: false) == .response(status: 200, retryAfterSeconds: nil))
        let records = try collector.records()
        #expect(records.count == 5)
        #expect(records.map { "\($0["device"]!)/\($0["seq"]!)" } == ["pole-1/1", "pole-1/2", "pole-1/3", "pole-1/4", "pole-2/1"])
        #expect(try collector.records(device: "pole-2").count == 1)
        let summary = try JSONSerialization.jsonObject(with: collector.get("/v1/summary").body) as! [String: Any]
        #expect(summary["records"] as? Int == 5)
        #expect((summary["labels"] as? [String: Int]) == ["car": 4, "bus": 1])
        #expect((summary["devices"] as? [[String: Any]])?.map { $0["device"] as! String } == ["pole-1", "pole-2"])
    }

    @Test func rejectsUnknownTokensBadLinesAndOversizedBodies() throws {
        let temporary = try TemporaryDirectory()
        let collector = try CollectorProcess(in: temporary, extra: ["--max-body-bytes", "2000"])
        #expect(Self.post(collector, Self.line(1), token: "wrong") == .response(status: 401, retryAfterSeconds: nil))
        #expect(Self.post(collector, Self.line(1), token: nil) == .response(status: 401, retryAfterSeconds: nil))
        #expect(try collector.get("/v1/summary").status == 200)
        let bad = [Self.line(1), "{\"device\":\"d\",\"run\":\"r\"}", "not json"].joined(separator: "\n")
        #expect(Self.post(collector, bad) == .response(status: 400, retryAfterSeconds: nil))
        let big = (1...100).map { Self.line($0) }.joined(separator: "\n")
        #expect(Self.post(collector, big, gzip: false) == .response(status: 413, retryAfterSeconds: nil))
        // Gzip cannot smuggle a large body past the limit.
        #expect(Self.post(collector, big, gzip: true) == .response(status: 413, retryAfterSeconds: nil))
        #expect(try collector.records().isEmpty, "nothing of a refused body is stored")
    }

    @Test func badLineIsNamed() {
        let body = Array((Self.line(1) + "\n\n" + "{\"device\":\"d\",\"run\":\"r\",\"seq\":\"x\"}\n").utf8)
        guard case .failure(let bad) = ReportBody.parse(body) else { Issue.record("accepted"); return }
        #expect(bad.line == 3)
        #expect(bad.message.contains("seq"))
    }

    @Test func storageDeduplicatesOnTheRecordKey() throws {
        let temporary = try TemporaryDirectory()
        let storage = try SQLiteReportStorage(path: temporary.path("s.sqlite"))
        let record = ReceivedRecord(device: "d", run: "r", sequence: 1, kind: "frame", label: "car", line: Self.line(1))
        #expect(try storage.insert([record, record], receivedAt: 100) == (1, 1))
        var other = record
        other.run = "r2"
        #expect(try storage.insert([other], receivedAt: 200) == (1, 0))
        #expect(try storage.lines(device: "d", since: 150, limit: 10).count == 1)
        #expect(try storage.summary().devices == [ReportSummary.Device(device: "d", records: 2, lastSeen: 200)])
    }
}
