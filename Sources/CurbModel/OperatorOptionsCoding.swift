/// What every operator's options type provides: its kind, its byte layout, and its validation rules.
///
/// Each options type lives in `Options/<Name>Options.swift` together with those three things, so an
/// operator's file format and its rules are read in one place.
public protocol OperatorOptionsCoding: Sendable, Equatable {
    /// The operator these options belong to.
    static var kind: OperatorKind { get }
    /// Writes the options' bytes (the layout `decode` reads back; documented in docs/model-format.md).
    func encode(into writer: inout ByteWriter)
    /// Reads and range-checks the options. The reader is positioned at the options' first byte.
    static func decode(from reader: inout ByteReader) throws(ModelError) -> Self
    /// Checks the operator's tensors (arity, types, shapes, quantization) against these options.
    /// Called after the validator has checked that every tensor index is in range.
    func validate(_ context: OperatorContext) throws(ModelError)
}
