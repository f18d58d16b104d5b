/// A TFLite builtin operator code (`BuiltinOperator` enum, int32). Unknown codes are kept, so the importer
/// can name them in its error; the statics are the ones Curbside knows.
public struct TFLiteBuiltinOperator: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let add = Self(rawValue: 0)
    public static let averagePool2D = Self(rawValue: 1)
    public static let concatenation = Self(rawValue: 2)
    public static let conv2D = Self(rawValue: 3)
    public static let depthwiseConv2D = Self(rawValue: 4)
    public static let dequantize = Self(rawValue: 6)
    public static let fullyConnected = Self(rawValue: 9)
    public static let logistic = Self(rawValue: 14)
    public static let maxPool2D = Self(rawValue: 17)
    public static let mul = Self(rawValue: 18)
    public static let relu = Self(rawValue: 19)
    public static let relu6 = Self(rawValue: 21)
    public static let reshape = Self(rawValue: 22)
    public static let softmax = Self(rawValue: 25)
    public static let custom = Self(rawValue: 32)
    public static let pad = Self(rawValue: 34)
    public static let batchToSpaceND = Self(rawValue: 37)
    public static let spaceToBatchND = Self(rawValue: 38)
    public static let mean = Self(rawValue: 40)
    public static let stridedSlice = Self(rawValue: 45)
    public static let padV2 = Self(rawValue: 60)
    public static let shape = Self(rawValue: 77)
    public static let pack = Self(rawValue: 83)
    public static let quantize = Self(rawValue: 114)
    public static let hardSwish = Self(rawValue: 117)

    private static let names: [Int32: String] = [
        0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
        6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D", 18: "MUL", 19: "RELU",
        21: "RELU6", 22: "RESHAPE", 25: "SOFTMAX", 32: "CUSTOM", 34: "PAD", 37: "BATCH_TO_SPACE_ND",
        38: "SPACE_TO_BATCH_ND", 40: "MEAN", 45: "STRIDED_SLICE", 60: "PADV2", 77: "SHAPE", 83: "PACK",
        114: "QUANTIZE", 117: "HARD_SWISH",
        // Operators Curbside does not import, named so the importer's refusals say which one it met.
        5: "DEPTH_TO_SPACE", 11: "L2_NORMALIZATION", 20: "RELU_N1_TO_1", 23: "RESIZE_BILINEAR", 26: "SPACE_TO_DEPTH",
        28: "TANH", 36: "GATHER", 39: "TRANSPOSE", 41: "SUB", 42: "DIV", 43: "SQUEEZE", 47: "EXP", 49: "SPLIT",
        50: "LOG_SOFTMAX", 53: "CAST", 54: "PRELU", 55: "MAXIMUM", 56: "ARG_MAX", 57: "MINIMUM", 64: "SELECT",
        65: "SLICE", 67: "TRANSPOSE_CONV", 69: "TILE", 71: "EQUAL", 74: "SUM", 75: "SQRT", 76: "RSQRT", 82: "REDUCE_MAX",
        88: "UNPACK", 97: "RESIZE_NEAREST_NEIGHBOR", 98: "LEAKY_RELU", 99: "SQUARED_DIFFERENCE", 101: "ABS",
        126: "BATCH_MATMUL", 152: "RELU_0_TO_1",
    ]

    /// The schema's name (`CONV_2D`), or `BUILTIN_<n>` for codes Curbside does not know.
    public var description: String { Self.names[rawValue] ?? "BUILTIN_\(rawValue)" }
}
