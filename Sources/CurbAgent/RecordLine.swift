import CurbModel
import CurbJSON

/// The stored form of one record: its JSON object on one line, with a CRC-32 of the line's own bytes as
/// the last member — `{…,"crc":"1a2b3c4d"}` — so the store stays plain NDJSON that any tool reads, and a
/// torn or damaged line is recognized (the CRC covers every byte before `,"crc":`).
public enum RecordLine {
    private static let marker = Array(",\"crc\":\"".utf8)

    /// The line (with its final newline) for `record`, which must be a JSON object.
    public static func seal(_ record: JSON) -> [UInt8] {
        var text = record.serialized()
        precondition(text.last == "}", "a record is a JSON object")
        text.removeLast()
        var bytes = Array(text.utf8)
        let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
        bytes += marker
        bytes += hex(crc)
        bytes += Array("\"}\n".utf8)
        return bytes
    }

    /// The record in `line` (without its newline), or nil when the line is damaged: no CRC member, a CRC
    /// that does not match, or JSON that does not parse.
    public static func open(_ line: ArraySlice<UInt8>) -> JSON? {
        // …,"crc":"XXXXXXXX"}  — the marker starts 19 bytes before the end.
        let tail = marker.count + 8 + 2
        guard line.count > tail + 1 else { return nil }
        let markerStart = line.endIndex - tail
        guard line[markerStart..<markerStart + marker.count].elementsEqual(marker),
              line[line.endIndex - 2] == UInt8(ascii: "\""), line[line.endIndex - 1] == UInt8(ascii: "}") else { return nil }
        let hexStart = markerStart + marker.count
        guard let stored = UInt32(String(decoding: line[hexStart..<hexStart + 8], as: UTF8.self), radix: 16) else { return nil }
        let computed = line[line.startIndex..<markerStart].withUnsafeBytes { CRC32.checksum($0) }
        guard computed == stored else { return nil }
        return JSONParser.parse(line)
    }

    static func hex(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<8).map { digits[Int((value >> UInt32(28 - 4 * $0)) & 15)] }
    }
}
