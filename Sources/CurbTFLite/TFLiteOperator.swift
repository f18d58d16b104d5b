/// One operator of the subgraph.
///
/// `Operator` table: opcode_index (0, uint32), inputs (1, [int], -1 = optional input absent), outputs (2),
/// builtin_options_type (3) / builtin_options (4), custom_options (5), custom_options_format (6),
/// mutating_variable_inputs (7), intermediates (8), large_custom_options_offset (9) / size (10),
/// builtin_options_2_type (11) / builtin_options_2 (12).
public struct TFLiteOperator: Sendable, Equatable {
    /// Index into the model's operator codes (checked).
    public var opcodeIndex: Int
    /// Input tensor indices; -1 marks an absent optional input (all others checked against the tensors).
    public var inputs: [Int]
    /// Output tensor indices (checked against the tensors).
    public var outputs: [Int]
    /// The decoded builtin options.
    public var builtinOptions: TFLiteBuiltinOptions
    /// Whether the operator carries custom options (only custom operators should).
    public var hasCustomOptions: Bool
    /// The `builtin_options_2` union type (StableHLO ops); 0 when absent.
    public var builtinOptions2Type: UInt8

    public init(opcodeIndex: Int, inputs: [Int], outputs: [Int], builtinOptions: TFLiteBuiltinOptions = .none,
                hasCustomOptions: Bool = false, builtinOptions2Type: UInt8 = 0) {
        self.opcodeIndex = opcodeIndex
        self.inputs = inputs
        self.outputs = outputs
        self.builtinOptions = builtinOptions
        self.hasCustomOptions = hasCustomOptions
        self.builtinOptions2Type = builtinOptions2Type
    }
}
