import Foundation

/// A training checkpoint: a JSON header (everything but the numbers) and named float tensors.
///
/// File layout (little-endian), documented in `docs/training.md`:
/// ```
/// "CURBCKPT"            8 bytes
/// version               UInt32 (1)
/// header length         UInt32, then that many bytes of UTF-8 JSON (``TrainingState/Header``)
/// tensor count          UInt32, then per tensor:
///   name length UInt32, name UTF-8, value count UInt64, values Float32 × count
/// ```
/// Tensor names: `param/<layer>/<name>` (weights, bias, scale, offset), `stat/<layer>/mean|variance`
/// (batch-norm running statistics), `optimizer/<i>` (momentum or Adam moments, parameter-major) and the
/// same `param/` and `stat/` names under `best/` for the weights of the best validation epoch.
public struct Checkpoint: Sendable, Equatable {
    public static let magic = Array("CURBCKPT".utf8)
    public static let version: UInt32 = 1

    public var header: Data
    public var tensors: [(name: String, values: [Float])]

    public init(header: Data, tensors: [(name: String, values: [Float])]) {
        self.header = header
        self.tensors = tensors
    }

    public static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
        lhs.header == rhs.header && lhs.tensors.count == rhs.tensors.count
            && zip(lhs.tensors, rhs.tensors).allSatisfy { $0.name == $1.name && $0.values == $1.values }
    }

    /// The values of the tensor called `name`.
    public func tensor(_ name: String) -> [Float]? {
        tensors.first { $0.name == name }?.values
    }

    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func append64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append32(Self.version)
        append32(UInt32(header.count))
        bytes += header
        append32(UInt32(tensors.count))
        for (name, values) in tensors {
            let nameBytes = Array(name.utf8)
            append32(UInt32(nameBytes.count))
            bytes += nameBytes
            append64(UInt64(values.count))
            for value in values { append32(value.bitPattern) }
        }
        return bytes
    }

    /// Decodes a checkpoint; errors say which part is damaged.
    public static func decode(_ bytes: [UInt8]) throws(TrainingError) -> Checkpoint {
        var position = 0
        func take(_ count: Int, _ what: String) throws(TrainingError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - position >= count else { throw TrainingError("checkpoint: truncated in \(what)") }
            defer { position += count }
            return bytes[position..<(position + count)]
        }
        func uint32(_ what: String) throws(TrainingError) -> UInt32 {
            let slice = try take(4, what)
            return slice.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        func uint64(_ what: String) throws(TrainingError) -> UInt64 {
            let slice = try take(8, what)
            return slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        guard Array(try take(8, "magic")) == magic else { throw TrainingError("checkpoint: not a Curbside checkpoint (bad magic)") }
        let version = try uint32("version")
        guard version == Self.version else { throw TrainingError("checkpoint: version \(version) is not supported (expected \(Self.version))") }
        let header = Data(try take(Int(try uint32("header length")), "header"))
        let count = Int(try uint32("tensor count"))
        var tensors: [(name: String, values: [Float])] = []
        for index in 0..<count {
            let nameLength = Int(try uint32("tensor \(index) name length"))
            let name = String(decoding: try take(nameLength, "tensor \(index) name"), as: UTF8.self)
            let valueCount = try uint64("tensor \(name) count")
            guard valueCount <= UInt64(bytes.count) else { throw TrainingError("checkpoint: truncated in tensor \(name)") }
            let raw = try take(Int(valueCount) * 4, "tensor \(name)")
            var values = [Float](repeating: 0, count: Int(valueCount))
            values.withUnsafeMutableBytes { destination in
                raw.withUnsafeBytes { destination.copyMemory(from: $0) }
            }
            // The file is little-endian; so is every host this runs on, but say so explicitly.
            if UInt32(1).littleEndian != 1 { values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) } }
            tensors.append((name, values))
        }
        guard position == bytes.count else { throw TrainingError("checkpoint: \(bytes.count - position) stray bytes at the end") }
        return Checkpoint(header: header, tensors: tensors)
    }

    /// Writes the checkpoint atomically (a temporary file renamed over `path`), so an interrupted write
    /// never leaves a half checkpoint behind.
    public func write(to path: String) throws(TrainingError) {
        let temporary = path + ".partial"
        do {
            try Data(encoded()).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw TrainingError("\(path): cannot write the checkpoint (\(error.localizedDescription))")
        }
    }

    public static func read(from path: String) throws(TrainingError) -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else { throw TrainingError("\(path): cannot read the checkpoint") }
        do {
            return try decode(Array(data))
        } catch {
            throw TrainingError("\(path): \(error.message)")
        }
    }
}
