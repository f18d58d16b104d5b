/// The typed options of one operator; the case decides the operator's kind.
public enum OperatorOptions: Sendable, Equatable {
    case conv2D(Conv2DOptions)
    case depthwiseConv2D(DepthwiseConv2DOptions)
    case fullyConnected(FullyConnectedOptions)
    case add(AddOptions)
    case mul(MulOptions)
    case averagePool2D(Pool2DOptions)
    case maxPool2D(Pool2DOptions)
    case mean(MeanOptions)
    case softmax(SoftmaxOptions)
    case logistic(LookupTableOptions)
    case hardSwish(HardSwishOptions)
    case relu(ReluOptions)
    case relu6(ReluOptions)
    case reshape(ReshapeOptions)
    case pad(PadOptions)
    case concatenation(ConcatenationOptions)
    case stridedSlice(StridedSliceOptions)
    case quantize(QuantizeOptions)
    case dequantize(DequantizeOptions)

    public var kind: OperatorKind {
        switch self {
        case .conv2D: .conv2D
        case .depthwiseConv2D: .depthwiseConv2D
        case .fullyConnected: .fullyConnected
        case .add: .add
        case .mul: .mul
        case .averagePool2D: .averagePool2D
        case .maxPool2D: .maxPool2D
        case .mean: .mean
        case .softmax: .softmax
        case .logistic: .logistic
        case .hardSwish: .hardSwish
        case .relu: .relu
        case .relu6: .relu6
        case .reshape: .reshape
        case .pad: .pad
        case .concatenation: .concatenation
        case .stridedSlice: .stridedSlice
        case .quantize: .quantize
        case .dequantize: .dequantize
        }
    }

    /// The options as their protocol, for encoding and validation.
    public var coding: any OperatorOptionsCoding {
        switch self {
        case .conv2D(let options): options
        case .depthwiseConv2D(let options): options
        case .fullyConnected(let options): options
        case .add(let options): options
        case .mul(let options): options
        case .averagePool2D(let options), .maxPool2D(let options): options
        case .mean(let options): options
        case .softmax(let options): options
        case .logistic(let options): options
        case .hardSwish(let options): options
        case .relu(let options), .relu6(let options): options
        case .reshape(let options): options
        case .pad(let options): options
        case .concatenation(let options): options
        case .stridedSlice(let options): options
        case .quantize(let options): options
        case .dequantize(let options): options
        }
    }

    /// Reads the options of an operator of `kind` (the kind comes from the graph record).
    public static func decode(kind: OperatorKind, from reader: inout ByteReader) throws(ModelError) -> OperatorOptions {
        switch kind {
        case .conv2D: .conv2D(try .decode(from: &reader))
        case .depthwiseConv2D: .depthwiseConv2D(try .decode(from: &reader))
        case .fullyConnected: .fullyConnected(try .decode(from: &reader))
        case .add: .add(try .decode(from: &reader))
        case .mul: .mul(try .decode(from: &reader))
        case .averagePool2D: .averagePool2D(try .decode(from: &reader))
        case .maxPool2D: .maxPool2D(try .decode(from: &reader))
        case .mean: .mean(try .decode(from: &reader))
        case .softmax: .softmax(try .decode(from: &reader))
        case .logistic: .logistic(try .decode(from: &reader))
        case .hardSwish: .hardSwish(try .decode(from: &reader))
        case .relu: .relu(try .decode(from: &reader))
        case .relu6: .relu6(try .decode(from: &reader))
        case .reshape: .reshape(try .decode(from: &reader))
        case .pad: .pad(try .decode(from: &reader))
        case .concatenation: .concatenation(try .decode(from: &reader))
        case .stridedSlice: .stridedSlice(try .decode(from: &reader))
        case .quantize: .quantize(try .decode(from: &reader))
        case .dequantize: .dequantize(try .decode(from: &reader))
        }
    }
}

/// One operator of the graph: which tensors it reads and writes, and its options.
public struct Operator: Sendable, Equatable {
    /// Tensor indices; `-1` marks an absent optional input (a conv without bias).
    public var inputs: [Int32]
    public var outputs: [Int32]
    public var options: OperatorOptions

    public init(_ options: OperatorOptions, inputs: [Int32], outputs: [Int32]) {
        self.options = options
        self.inputs = inputs
        self.outputs = outputs
    }

    public var kind: OperatorKind { options.kind }
}
