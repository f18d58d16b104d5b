/// Every operator a `.curb` file can hold; the raw value is the code stored in the graph section.
///
/// Codes are never reused: a removed operator keeps its number retired.
public enum OperatorKind: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case conv2D = 1
    case depthwiseConv2D = 2
    case fullyConnected = 3
    case add = 4
    case mul = 5
    case averagePool2D = 6
    case maxPool2D = 7
    case mean = 8
    case softmax = 9
    case logistic = 10
    case hardSwish = 11
    case relu = 12
    case relu6 = 13
    case reshape = 14
    case pad = 15
    case concatenation = 16
    case stridedSlice = 17
    case quantize = 18
    case dequantize = 19

    /// The name used in tools, errors and docs (`conv2d`, `depthwise_conv2d`, …).
    public var name: String {
        switch self {
        case .conv2D: "conv2d"
        case .depthwiseConv2D: "depthwise_conv2d"
        case .fullyConnected: "fully_connected"
        case .add: "add"
        case .mul: "mul"
        case .averagePool2D: "average_pool2d"
        case .maxPool2D: "max_pool2d"
        case .mean: "mean"
        case .softmax: "softmax"
        case .logistic: "logistic"
        case .hardSwish: "hard_swish"
        case .relu: "relu"
        case .relu6: "relu6"
        case .reshape: "reshape"
        case .pad: "pad"
        case .concatenation: "concatenation"
        case .stridedSlice: "strided_slice"
        case .quantize: "quantize"
        case .dequantize: "dequantize"
        }
    }

    public var description: String { name }
}
