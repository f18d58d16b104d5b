import Foundation

/// Parses a `POST /v1/reports` body: NDJSON, one record object per line, each with a string `device`,
/// string `run` and integer `seq`. The first bad line is named in the error (1-based).
public enum ReportBody {
    public struct BadLine: Error, Equatable {
        public var line: Int
        public var reason: String
        public var message: String { "line \(line): \(reason)" }
    }

    public static func parse(_ bytes: [UInt8]) -> Result<[ReceivedRecord], BadLine> {
        var records: [ReceivedRecord] = []
        var number = 0
        for slice in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            number += 1
            if slice.isEmpty || slice.allSatisfy({ $0 == 13 || $0 == 32 }) { continue }
            let data = Data(slice)
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                return .failure(BadLine(line: number, reason: "not a JSON object"))
            }
            guard let device = object["device"] as? String, !device.isEmpty else { return .failure(BadLine(line: number, reason: "no string \"device\"")) }
            guard let run = object["run"] as? String, !run.isEmpty else { return .failure(BadLine(line: number, reason: "no string \"run\"")) }
            guard let seqNumber = object["seq"] as? NSNumber, let sequence = Int(exactly: seqNumber.doubleValue),
                  !(object["seq"] is Bool) else { return .failure(BadLine(line: number, reason: "no integer \"seq\"")) }
            let line = String(decoding: slice.last == 13 ? slice.dropLast() : slice[...], as: UTF8.self)
            records.append(ReceivedRecord(device: device, run: run, sequence: sequence, kind: object["kind"] as? String ?? "",
                                          label: object["label"] as? String, line: line))
        }
        return .success(records)
    }
}
