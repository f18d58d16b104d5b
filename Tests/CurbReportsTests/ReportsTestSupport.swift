import CurbGzip
import CurbAgent
import CurbReports
import CurbTestKit
import CurbJSON

/// A transport that answers from a script and keeps every request (a fake collector that dedups on seq).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    var answers: [TransportOutcome]
    var requests: [(body: [UInt8], headers: [(String, String)])] = []
    /// Sequence numbers the "collector" stored (only on a 2xx; a dropped response still stores).
    var stored: [Int] = []
    var duplicates = 0
    /// When set, a 2xx whose answer is lost: stored, but the uploader sees a failure.
    var dropResponseOnce = false

    init(_ answers: [TransportOutcome]) { self.answers = answers }

    func post(url: String, body: [UInt8], headers: [(String, String)]) -> TransportOutcome {
        requests.append((body, headers))
        let answer = answers.isEmpty ? .response(status: 200, retryAfterSeconds: nil) : answers.removeFirst()
        if case .response(let status, _) = answer, (200..<300).contains(status) {
            let plain = Gzip.decompress(body, limit: 1 << 30)!
            for line in plain.split(separator: 10) {
                let seq = JSONParser.parse(line)!["seq"]!.intValue!
                if stored.contains(seq) { duplicates += 1 } else { stored.append(seq) }
            }
            if dropResponseOnce {
                dropResponseOnce = false
                return .failure("connection reset after the request was stored")
            }
        }
        return answer
    }

    func header(_ name: String, request index: Int) -> String? {
        requests[index].headers.first { $0.0 == name }?.1
    }
}

/// A clock that never sleeps; it records the waits asked for.
final class ManualClock: UploadClock, @unchecked Sendable {
    var time: UInt64 = 0
    var waits: [UInt64?] = []
    func now() -> UInt64 { time }
    func wait(nanoseconds: UInt64?) {
        waits.append(nanoseconds)
        time &+= nanoseconds ?? 0
    }
}

enum Spool {
    static func record(_ seq: Int, run: String = "r1") -> JSON {
        .object([("kind", .string("frame")), ("device", .string("pole-7")), ("run", .string(run)), ("seq", .int(seq)),
                 ("label", .string("car"))])
    }

    /// A spool in `state/records` holding `sequences`.
    static func fill(_ state: String, _ sequences: ClosedRange<Int>, run: String = "r1", segmentBytes: Int = 1 << 20) throws {
        let store = try RecordStore(directory: state + "/records", segmentBytes: segmentBytes, fsync: .never) { _ in }
        for seq in sequences { try store.append(record(seq, run: run), now: 0) }
        try store.sync(now: 0)
    }
}

struct FixedRandom: RandomNumberGenerator {
    var state: UInt64 = 0x1234_5678
    mutating func next() -> UInt64 {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func makeUploader(_ state: String, _ transport: ScriptedTransport, batch: Int = 10, token: String? = "secret") -> Uploader {
    var settings = UploadSettings(baseURL: "http://127.0.0.1:9/", token: token)
    settings.batchRecords = batch
    settings.initialBackoffNanoseconds = 1_000_000_000
    settings.maximumBackoffNanoseconds = 8_000_000_000
    return Uploader(stateDirectory: state, settings: settings, transport: transport, clock: ManualClock(), random: FixedRandom())
}
