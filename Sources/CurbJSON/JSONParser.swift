/// Parses one JSON text (a stored record line) into ``JSON``. Strict: trailing text, bad escapes,
/// and nesting deeper than 64 are refused, so a damaged line is detected rather than half-read.
public struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    public static func parse(_ text: some Collection<UInt8>) -> JSON? {
        var parser = JSONParser(bytes: Array(text))
        guard let value = parser.value() else { return nil }
        parser.skipSpaces()
        return parser.position == parser.bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpaces() {
        while let byte = peek, byte == 32 || byte == 9 || byte == 10 || byte == 13 { position += 1 }
    }

    private mutating func literal(_ word: String, _ value: JSON) -> JSON? {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return nil }
        position += utf8.count
        return value
    }

    private mutating func value() -> JSON? {
        skipSpaces()
        guard let byte = peek else { return nil }
        switch byte {
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "\""): return string().map(JSON.string)
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth <= 64 else { return nil }
            position += 1
            var values: [JSON] = []
            skipSpaces()
            if peek == UInt8(ascii: "]") { position += 1; return .array(values) }
            while true {
                guard let element = value() else { return nil }
                values.append(element)
                skipSpaces()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "]") else { return nil }
                position += 1
                return .array(values)
            }
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth <= 64 else { return nil }
            position += 1
            var members: [(String, JSON)] = []
            skipSpaces()
            if peek == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipSpaces()
                guard peek == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpaces()
                guard peek == UInt8(ascii: ":") else { return nil }
                position += 1
                guard let member = value() else { return nil }
                members.append((key, member))
                skipSpaces()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "}") else { return nil }
                position += 1
                return .object(members)
            }
        default: return number()
        }
    }

    private mutating func string() -> String? {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() }
        }
        while let byte = peek {
            position += 1
            if byte == UInt8(ascii: "\"") {
                flush()
                return String(scalars)
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else { run.append(byte); continue }
            flush()
            guard let escaped = peek else { return nil }
            position += 1
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard position + 4 <= bytes.count,
                      let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else { return nil }
                position += 4
                // Surrogate pairs are not produced by the agent's writer; a lone surrogate becomes U+FFFD.
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: return nil
            }
        }
        return nil
    }

    private mutating func number() -> JSON? {
        let start = position
        while let byte = peek, (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if let integer = Int(text) { return .int(integer) }
        if let double = Double(text), double.isFinite { return .double(double) }
        return nil
    }
}
