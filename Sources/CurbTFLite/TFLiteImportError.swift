import CurbModel

/// Why a well-formed `.tflite` model could not be imported into `.curb`: an operator, type, quantization or
/// shape Curbside does not support, or parameters TFLite itself would refuse.
///
/// Printed for people as one line naming the TFLite operator (index and builtin name), the tensor when one
/// is at fault, what is wrong, and what is supported instead.
public struct TFLiteImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operator's index in the TFLite subgraph, when the problem belongs to an operator.
    public var operatorIndex: Int?
    /// The operator's builtin name (`CONV_2D`, `SPACE_TO_BATCH_ND`, a custom code), when known.
    public var operatorName: String?
    /// The TFLite tensor index, when the problem belongs to a tensor.
    public var tensorIndex: Int?
    /// What is wrong, for people.
    public var what: String
    /// What Curbside supports instead, for people.
    public var supported: String?
    /// The model-format error behind this one, when a factory or the validator refused the result.
    public var modelError: ModelError?

    public init(_ what: String, operatorIndex: Int? = nil, operatorName: String? = nil, tensorIndex: Int? = nil,
                supported: String? = nil, modelError: ModelError? = nil) {
        self.what = what
        self.operatorIndex = operatorIndex
        self.operatorName = operatorName
        self.tensorIndex = tensorIndex
        self.supported = supported
        self.modelError = modelError
    }

    /// `operator 3 (SPACE_TO_BATCH_ND), tensor 7: what; supported: …`
    public var description: String {
        var location: [String] = []
        if let operatorIndex {
            location.append("operator \(operatorIndex)" + (operatorName.map { " (\($0))" } ?? ""))
        }
        if let tensorIndex { location.append("tensor \(tensorIndex)") }
        let place = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        let alternative = supported.map { "; supported: \($0)" } ?? ""
        return "\(place)\(what)\(alternative)"
    }
}
