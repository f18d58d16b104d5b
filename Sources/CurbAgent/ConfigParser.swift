/// Reads the agent's config file: a small subset of TOML, enough for flat settings and one level of
/// tables. Lines are `key = value`, `[table]` or comments (`#`). Keys are bare (`A-Za-z0-9_-`) or
/// quoted (`"/var/frames"`); inside `[table]` a key becomes `table.key`. Values are strings in double
/// quotes (escapes `\"`, `\\`, `\n`, `\t`), integers (`_` separators allowed), decimals, `true`/`false`,
/// and one-line lists of those. Anything else is refused with its line number.
public enum ConfigParser {
    /// One `key = value` line.
    public struct Entry: Sendable, Equatable {
        /// The full key: `table.key` inside a table (the table and key as written, without quotes).
        public var key: String
        public var table: String?
        /// The key within its table.
        public var name: String
        public var value: ConfigValue
        /// The line in the file (0: not from a file, e.g. the command line).
        public var line: Int

        public init(key: String, table: String? = nil, name: String? = nil, value: ConfigValue, line: Int = 0) {
            self.key = key
            self.table = table
            self.name = name ?? key
            self.value = value
            self.line = line
        }
    }

    /// The entries of `text` in file order. A key given twice is refused.
    public static func parse(_ text: String) throws(AgentError) -> [Entry] {
        var entries: [Entry] = []
        var seen: Set<String> = []
        var table: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var scanner = Scanner(Array(rawLine.utf8), line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == UInt8(ascii: "[") {
                scanner.advance()
                scanner.skipSpaces()
                let name = try scanner.key()
                scanner.skipSpaces()
                try scanner.expect("]")
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw scanner.failure("unexpected text after the table name") }
                table = name
                continue
            }
            let name = try scanner.key()
            scanner.skipSpaces()
            try scanner.expect("=")
            scanner.skipSpaces()
            let value = try scanner.value()
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw scanner.failure("unexpected text after the value") }
            let key = table.map { "\($0).\(name)" } ?? name
            guard seen.insert(key).inserted else { throw AgentError("config line \(lineNumber): '\(key)' is set twice") }
            entries.append(Entry(key: key, table: table, name: name, value: value, line: lineNumber))
        }
        return entries
    }

    /// A cursor over one line's bytes.
    struct Scanner {
        let bytes: [UInt8]
        let line: Int
        var position = 0

        init(_ bytes: [UInt8], line: Int) {
            // A Windows line ending is tolerated.
            self.bytes = bytes.last == 13 ? Array(bytes.dropLast()) : bytes
            self.line = line
        }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
        var atEndOrComment: Bool { peek == nil || peek == UInt8(ascii: "#") }
        mutating func advance() { position += 1 }

        mutating func skipSpaces() {
            while let byte = peek, byte == 32 || byte == 9 { advance() }
        }

        func failure(_ message: String) -> AgentError {
            AgentError("config line \(line), column \(position + 1): \(message)")
        }

        mutating func expect(_ character: Character) throws(AgentError) {
            guard let byte = peek, byte == character.asciiValue! else { throw failure("expected '\(character)'") }
            advance()
        }

        static func isBare(_ byte: UInt8) -> Bool {
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
        }

        mutating func key() throws(AgentError) -> String {
            if peek == UInt8(ascii: "\"") { return try string() }
            let start = position
            while let byte = peek, Self.isBare(byte) { advance() }
            guard position > start else { throw failure("expected a key") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func string() throws(AgentError) -> String {
            try expect("\"")
            var result: [UInt8] = []
            while let byte = peek {
                advance()
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: result, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { break }
                    advance()
                    switch escaped {
                    case UInt8(ascii: "n"): result.append(10)
                    case UInt8(ascii: "t"): result.append(9)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(escaped)
                    default: throw failure("unknown escape '\\\(Character(Unicode.Scalar(escaped)))'")
                    }
                default:
                    result.append(byte)
                }
            }
            throw failure("unterminated string")
        }

        mutating func value() throws(AgentError) -> ConfigValue {
            guard let byte = peek else { throw failure("expected a value") }
            if byte == UInt8(ascii: "\"") { return .string(try string()) }
            if byte == UInt8(ascii: "[") {
                advance()
                var values: [ConfigValue] = []
                while true {
                    skipSpaces()
                    if peek == UInt8(ascii: "]") { advance(); return .array(values) }
                    values.append(try value())
                    skipSpaces()
                    if peek == UInt8(ascii: ",") { advance(); continue }
                    skipSpaces()
                    try expect("]")
                    return .array(values)
                }
            }
            let start = position
            while let next = peek, Self.isBare(next) || next == UInt8(ascii: ".") || next == UInt8(ascii: "+") { advance() }
            let word = String(decoding: bytes[start..<position], as: UTF8.self)
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            let digits = word.replacingUnderscores()
            if let integer = Int(digits) { return .integer(integer) }
            if !digits.isEmpty, digits.allSatisfy({ "0123456789.eE+-".contains($0) }), let number = Double(digits), number.isFinite {
                return .float(number)
            }
            position = start
            throw failure(word.isEmpty ? "expected a value" : "'\(word)' is not a value (quote strings)")
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
