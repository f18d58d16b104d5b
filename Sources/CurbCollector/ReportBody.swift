import Foundation

/// Parses a `POST /v1/reports` body: NDJSON, one record object per line, each with a string `device`,
/// string `run` and integer `seq`. The first bad line is named in the error (1-based).
public enum ReportBody {
    public struct BadLine: Error, Equatable {
        public var line: Int
        public var reason: String
        public var message: String { "line \(line): \(reason)" }
    }

    /// The members the collector reads (JSONDecoder: `seq` must be an integer, not a string or bool).
    private struct Fields: Decodable {
        var device: String
        var run: String
        var seq: Int
        var kind: String?
        var label: String?
    }

    public static func parse(_ bytes: [UInt8]) -> Result<[ReceivedRecord], BadLine> {
        var records: [ReceivedRecord] = []
        var number = 0
        for slice in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            number += 1
            if slice.isEmpty || slice.allSatisfy({ $0 == 13 || $0 == 32 }) { continue }
            let record: Fields
            do { record = try JSONDecoder().decode(Fields.self, from: Data(slice)) } catch DecodingError.keyNotFound(let key, _) {
                return .failure(BadLine(line: number, reason: "no \"\(key.stringValue)\""))
            } catch DecodingError.typeMismatch(_, let context) {
                return .failure(BadLine(line: number, reason: "wrong type for \"\(context.codingPath.first?.stringValue ?? "?")\""))
            } catch {
                return .failure(BadLine(line: number, reason: "not a JSON object"))
            }
            guard !record.device.isEmpty, !record.run.isEmpty else { return .failure(BadLine(line: number, reason: "empty \"device\" or \"run\"")) }
            let line = String(decoding: slice.last == 13 ? slice.dropLast() : slice[...], as: UTF8.self)
            records.append(ReceivedRecord(device: record.device, run: record.run, sequence: record.seq, kind: record.kind ?? "",
                                          label: record.label, line: line))
        }
        return .success(records)
    }
}
