/// Why an `.npy` file could not be read.
public struct NumpyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header field or part that is wrong (`magic`, `version`, `header`, `descr`, `shape`, `fortran_order`, `data`).
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension NumpyArray {
    /// The largest array this reader accepts (elements × width), checked before allocating.
    public static let maximumDataBytes = 1 << 30

    /// Parses `.npy` bytes. The header must describe a C-order array of a supported type, and the data must be
    /// exactly as long as the shape says.
    public init(decoding data: [UInt8]) throws(NumpyError) {
        guard data.count >= 10, Array(data[0..<6]) == Self.magic else {
            throw NumpyError(field: "magic", "not a .npy file (it must start with \\x93NUMPY)")
        }
        let major = data[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw NumpyError(field: "header", "the file ends inside the header length") }
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        default:
            throw NumpyError(field: "version", "format version \(major).\(data[7]) is not supported (1.0–3.0 are)")
        }
        guard headerLength <= 1 << 20, headerStart + headerLength <= data.count else {
            throw NumpyError(field: "header", "header of \(headerLength) bytes exceeds the file (\(data.count) bytes)")
        }
        guard let header = String(validating: data[headerStart..<(headerStart + headerLength)], as: UTF8.self) else {
            throw NumpyError(field: "header", "the header is not valid text")
        }
        let dictionary = try Self.parseHeader(header)
        guard let descr = dictionary["descr"] else { throw NumpyError(field: "descr", "the header has no 'descr'") }
        let type: ElementType
        switch descr {
        case "|i1", "<i1", "i1", "=i1": type = .int8
        case "|u1", "<u1", "u1", "=u1": type = .uint8
        case "<i4", "=i4": type = .int32
        case "<f4", "=f4": type = .float32
        default:
            throw NumpyError(field: "descr", "dtype '\(descr)' is not supported (int8 |i1, uint8 |u1, int32 <i4, float32 <f4)")
        }
        guard dictionary["fortran_order"] == "False" else {
            throw NumpyError(field: "fortran_order", "only C-order arrays are supported (save with np.ascontiguousarray)")
        }
        guard let shapeText = dictionary["shape"] else { throw NumpyError(field: "shape", "the header has no 'shape'") }
        let shape = try Self.parseShape(shapeText)
        var byteCount = type.byteWidth
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Self.maximumDataBytes else {
                throw NumpyError(field: "shape", "shape \(shape) exceeds \(Self.maximumDataBytes) bytes")
            }
            byteCount = product
        }
        let dataStart = headerStart + headerLength
        guard data.count - dataStart == byteCount else {
            throw NumpyError(field: "data", "shape \(shape) of \(descr) needs \(byteCount) bytes of data, the file has \(data.count - dataStart)")
        }
        self.init(type: type, shape: shape, bytes: Array(data[dataStart...]))
    }

    /// Parses the header's Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }`.
    static func parseHeader(_ header: String) throws(NumpyError) -> [String: String] {
        var text = Substring(header.trimmingWhitespace)
        guard text.first == "{", text.last == "}" else {
            throw NumpyError(field: "header", "the header is not a dictionary literal")
        }
        text = text.dropFirst().dropLast()
        var result: [String: String] = [:]
        while true {
            text = text.drop { $0 == " " || $0 == "," || $0 == "\n" }
            if text.isEmpty { break }
            guard let quote = text.first, quote == "'" || quote == "\"" else {
                throw NumpyError(field: "header", "expected a quoted key at '\(text.prefix(20))'")
            }
            text = text.dropFirst()
            guard let keyEnd = text.firstIndex(of: quote) else { throw NumpyError(field: "header", "unterminated key") }
            let key = String(text[..<keyEnd])
            text = text[text.index(after: keyEnd)...].drop { $0 == " " }
            guard text.first == ":" else { throw NumpyError(field: "header", "expected ':' after '\(key)'") }
            text = text.dropFirst().drop { $0 == " " }
            let value: Substring
            if let first = text.first, first == "'" || first == "\"" {
                let rest = text.dropFirst()
                guard let end = rest.firstIndex(of: first) else { throw NumpyError(field: key, "unterminated string") }
                value = rest[..<end]
                text = rest[rest.index(after: end)...]
            } else if text.first == "(" {
                guard let end = text.firstIndex(of: ")") else { throw NumpyError(field: key, "unterminated tuple") }
                value = text[...end]
                text = text[text.index(after: end)...]
            } else {
                let end = text.firstIndex { $0 == "," || $0 == " " } ?? text.endIndex
                value = text[..<end]
                text = text[end...]
            }
            result[key] = String(value)
        }
        return result
    }

    /// Parses `(1, 64, 64, 3)`, `(5,)` or `()`.
    static func parseShape(_ text: String) throws(NumpyError) -> [Int] {
        guard text.first == "(", text.last == ")" else { throw NumpyError(field: "shape", "'\(text)' is not a tuple") }
        var shape: [Int] = []
        for part in text.dropFirst().dropLast().split(separator: ",") {
            let trimmed = String(part).trimmingWhitespace
            if trimmed.isEmpty { continue }
            guard let value = Int(trimmed), value >= 0 else {
                throw NumpyError(field: "shape", "'\(trimmed)' is not a dimension")
            }
            shape.append(value)
        }
        guard shape.count <= 32 else { throw NumpyError(field: "shape", "rank \(shape.count) is too large") }
        return shape
    }
}

extension String {
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
