/// Why a model file (or a model being built) was rejected, with enough context to find the bad byte.
///
/// Printed for people as one line: what is wrong, where (section, operator, tensor, field) and what was
/// expected. New codes can be added without breaking callers (the code wraps a private enum).
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case truncated, badMagic, unsupportedVersion, checksumMismatch, outOfBounds, badAlignment
            case invalidValue, unknownOperator, unknownEnumeration, tooLarge, wrongArity, wrongType
            case shapeMismatch, quantization, graphOrder, planOverlap, planMissing, duplicateSection
            case missingSection, unreadable
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The data ends before a field that should be there.
        public static let truncated = Code(.truncated)
        /// The file does not start with the `CURB` magic.
        public static let badMagic = Code(.badMagic)
        /// The major version is newer (or older) than this reader understands.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The CRC-32 in the header does not match the file's bytes.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// An offset, index or length points outside what it refers to.
        public static let outOfBounds = Code(.outOfBounds)
        /// An offset is not aligned as the format requires.
        public static let badAlignment = Code(.badAlignment)
        /// A field holds a value outside its legal range.
        public static let invalidValue = Code(.invalidValue)
        /// An operator code this reader does not know.
        public static let unknownOperator = Code(.unknownOperator)
        /// An enumeration field (element type, colour order, …) holds an unknown value.
        public static let unknownEnumeration = Code(.unknownEnumeration)
        /// A count or size exceeds the format's limits.
        public static let tooLarge = Code(.tooLarge)
        /// An operator has the wrong number of inputs or outputs.
        public static let wrongArity = Code(.wrongArity)
        /// A tensor has the wrong element type for its role.
        public static let wrongType = Code(.wrongType)
        /// Shapes do not satisfy the operator's rules.
        public static let shapeMismatch = Code(.shapeMismatch)
        /// Quantization parameters violate the int8 spec for the operator.
        public static let quantization = Code(.quantization)
        /// The graph is not in execution order (a tensor is read before it is written, or written twice).
        public static let graphOrder = Code(.graphOrder)
        /// The arena plan places two tensors that are alive at the same time on overlapping bytes.
        public static let planOverlap = Code(.planOverlap)
        /// A tensor that needs arena memory has no (valid) place in the plan.
        public static let planMissing = Code(.planMissing)
        /// A required section appears more than once.
        public static let duplicateSection = Code(.duplicateSection)
        /// A required section is absent.
        public static let missingSection = Code(.missingSection)
        /// The file could not be opened or read (missing, not a regular file, I/O error).
        public static let unreadable = Code(.unreadable)

        public var description: String { kind.rawValue }
    }

    public var code: Code
    /// The section being read (`header`, `graph`, `tensors`, `constants`, `plan`, `metadata`, …).
    public var section: String?
    /// The operator's index in execution order, when the problem belongs to an operator.
    public var operatorIndex: Int?
    /// The tensor's index, when the problem belongs to a tensor.
    public var tensorIndex: Int?
    /// The field that is wrong (`stride_height`, `scales`, `offset`, …).
    public var field: String?
    /// What was found and what was expected, for people.
    public var message: String

    public init(_ code: Code, _ message: String, section: String? = nil, operatorIndex: Int? = nil,
                tensorIndex: Int? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.section = section
        self.operatorIndex = operatorIndex
        self.tensorIndex = tensorIndex
        self.field = field
    }

    /// Returns a copy with the location filled in where it was not known yet.
    public func locating(section: String? = nil, operatorIndex: Int? = nil, tensorIndex: Int? = nil,
                         field: String? = nil) -> ModelError {
        var copy = self
        copy.section = copy.section ?? section
        copy.operatorIndex = copy.operatorIndex ?? operatorIndex
        copy.tensorIndex = copy.tensorIndex ?? tensorIndex
        copy.field = copy.field ?? field
        return copy
    }

    /// `section graph, operator 3 (conv2d), tensor 7, field stride_height: must be ≥ 1, found 0`
    public var description: String {
        var location: [String] = []
        if let section { location.append("section \(section)") }
        if let operatorIndex { location.append("operator \(operatorIndex)") }
        if let tensorIndex { location.append("tensor \(tensorIndex)") }
        if let field { location.append("field \(field)") }
        let place = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        return "\(place)\(message) [\(code)]"
    }
}
