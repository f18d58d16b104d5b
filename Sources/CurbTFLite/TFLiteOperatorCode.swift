/// An operator code: which builtin (or custom) operator, and its version.
///
/// `OperatorCode` table: deprecated_builtin_code (0, int8), custom_code (1, string), version (2, int32,
/// default 1), builtin_code (3, int32). Old files set only the int8 field, new ones set both (the int8 one
/// saturated at 127 for larger codes); like TFLite's `GetBuiltinCode`, the code is the larger of the two.
public struct TFLiteOperatorCode: Sendable, Equatable {
    /// The resolved builtin operator.
    public var builtinCode: TFLiteBuiltinOperator
    /// The custom operator's name when `builtinCode` is `.custom`.
    public var customCode: String?
    /// The operator version (1 when absent).
    public var version: Int32

    public init(builtinCode: TFLiteBuiltinOperator, customCode: String? = nil, version: Int32 = 1) {
        self.builtinCode = builtinCode
        self.customCode = customCode
        self.version = version
    }
}
