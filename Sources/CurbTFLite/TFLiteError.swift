/// Why a `.tflite` file (or its appended ZIP of associated files) was rejected.
///
/// Printed for people as one line: where (table, field, operator, tensor, byte offset), what is wrong and what
/// was expected. New codes can be added without breaking callers (the code wraps a private enum).
public struct TFLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case truncated, outOfBounds, badVTable, tooDeep, tooLarge, invalidUTF8, badIdentifier
            case unsupportedVersion, unsupportedModel, badIndex, invalidValue, unknownEnumeration
            case missingField, badArchive, unsupportedCompression, checksumMismatch
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The bytes end before something that should be there.
        public static let truncated = Code(.truncated)
        /// An offset or length points outside the buffer (or outside its table).
        public static let outOfBounds = Code(.outOfBounds)
        /// A table's vtable is malformed (too small, odd size, or a field lies outside the table).
        public static let badVTable = Code(.badVTable)
        /// Tables are nested deeper than the reader allows.
        public static let tooDeep = Code(.tooDeep)
        /// A count or size exceeds a limit (including the reader's decoded-size budget).
        public static let tooLarge = Code(.tooLarge)
        /// A string is not valid UTF-8 (or not NUL-terminated as flatbuffers require).
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// The file identifier is not `TFL3` (or `M001` for metadata).
        public static let badIdentifier = Code(.badIdentifier)
        /// The schema version is not 3.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A well-formed model that Curbside does not import (several subgraphs, buffers outside the flatbuffer).
        public static let unsupportedModel = Code(.unsupportedModel)
        /// A tensor, buffer or operator-code index is out of range.
        public static let badIndex = Code(.badIndex)
        /// A field holds a value outside its legal range.
        public static let invalidValue = Code(.invalidValue)
        /// An enumeration field (padding, activation, …) holds an unknown value.
        public static let unknownEnumeration = Code(.unknownEnumeration)
        /// A field the schema requires for this use is absent.
        public static let missingField = Code(.missingField)
        /// The appended ZIP archive is malformed.
        public static let badArchive = Code(.badArchive)
        /// A ZIP entry uses a compression method this reader does not implement.
        public static let unsupportedCompression = Code(.unsupportedCompression)
        /// A ZIP entry's CRC-32 does not match its bytes.
        public static let checksumMismatch = Code(.checksumMismatch)

        public var description: String { kind.rawValue }
    }

    public var code: Code
    /// What is wrong, for people.
    public var what: String
    /// The flatbuffer table being read (`Model`, `Tensor`, `Conv2DOptions`, `zip`, …).
    public var table: String?
    /// The field that is wrong (`shape`, `opcode_index`, …).
    public var field: String?
    /// The operator's index in the subgraph, when the problem belongs to an operator.
    public var operatorIndex: Int?
    /// The tensor's index in the subgraph, when the problem belongs to a tensor.
    public var tensorIndex: Int?
    /// The byte offset in the file where the problem was found, when known.
    public var offset: Int?
    /// What the reader expected instead, for people.
    public var expected: String?

    public init(_ code: Code, _ what: String, table: String? = nil, field: String? = nil,
                operatorIndex: Int? = nil, tensorIndex: Int? = nil, offset: Int? = nil, expected: String? = nil) {
        self.code = code
        self.what = what
        self.table = table
        self.field = field
        self.operatorIndex = operatorIndex
        self.tensorIndex = tensorIndex
        self.offset = offset
        self.expected = expected
    }

    /// Returns a copy with the operator and tensor filled in where they were not known yet.
    func locating(operatorIndex: Int? = nil, tensorIndex: Int? = nil) -> TFLiteError {
        var copy = self
        copy.operatorIndex = copy.operatorIndex ?? operatorIndex
        copy.tensorIndex = copy.tensorIndex ?? tensorIndex
        return copy
    }

    /// `operator 3, table Conv2DOptions, field padding, offset 1234: unknown value 7; expected 0 (SAME) or 1 (VALID) [unknownEnumeration]`
    public var description: String {
        var location: [String] = []
        if let operatorIndex { location.append("operator \(operatorIndex)") }
        if let tensorIndex { location.append("tensor \(tensorIndex)") }
        if let table { location.append("table \(table)") }
        if let field { location.append("field \(field)") }
        if let offset { location.append("offset \(offset)") }
        let place = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        let expectation = expected.map { "; expected \($0)" } ?? ""
        return "\(place)\(what)\(expectation) [\(code)]"
    }
}
