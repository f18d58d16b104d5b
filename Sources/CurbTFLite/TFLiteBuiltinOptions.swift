/// An operator's builtin options (the `BuiltinOptions` union), decoded for the operators Curbside imports.
///
/// Union member numbers (the `builtin_options_type` byte) are 1-based in the union's declaration order:
/// Conv2DOptions 1, DepthwiseConv2DOptions 2, Pool2DOptions 5, FullyConnectedOptions 8, SoftmaxOptions 9,
/// ConcatenationOptions 10, AddOptions 11, ReshapeOptions 17, MulOptions 21, PadOptions 22,
/// BatchToSpaceNDOptions 24, SpaceToBatchNDOptions 25, ReducerOptions 27, StridedSliceOptions 32,
/// DequantizeOptions 38, PadV2Options 43, ShapeOptions 55, PackOptions 59, QuantizeOptions 89,
/// HardSwishOptions 91. Other members are kept as `.other(type:)` without decoding their table.
public enum TFLiteBuiltinOptions: Sendable, Equatable {
    case none
    case conv2D(TFLiteConv2DOptions)
    case depthwiseConv2D(TFLiteDepthwiseConv2DOptions)
    case pool2D(TFLitePool2DOptions)
    case fullyConnected(TFLiteFullyConnectedOptions)
    case softmax(beta: Float)
    case concatenation(axis: Int32, activation: TFLiteActivation)
    case add(activation: TFLiteActivation, potScaleInt16: Bool)
    case reshape(newShape: [Int32]?)
    case mul(activation: TFLiteActivation)
    case pad
    case batchToSpaceND
    case spaceToBatchND
    /// ReducerOptions (MEAN, SUM, …).
    case reducer(keepDims: Bool)
    case stridedSlice(TFLiteStridedSliceOptions)
    case dequantize
    case padV2
    case shape(outputType: TFLiteTensorType)
    case pack(valuesCount: Int32, axis: Int32)
    case quantize
    case hardSwish
    /// A union member this reader does not decode.
    case other(type: UInt8)

    /// The union member number this case is encoded with (0 for `.none`).
    public var unionType: UInt8 {
        switch self {
        case .none: 0
        case .conv2D: 1
        case .depthwiseConv2D: 2
        case .pool2D: 5
        case .fullyConnected: 8
        case .softmax: 9
        case .concatenation: 10
        case .add: 11
        case .reshape: 17
        case .mul: 21
        case .pad: 22
        case .batchToSpaceND: 24
        case .spaceToBatchND: 25
        case .reducer: 27
        case .stridedSlice: 32
        case .dequantize: 38
        case .padV2: 43
        case .shape: 55
        case .pack: 59
        case .quantize: 89
        case .hardSwish: 91
        case .other(let type): type
        }
    }

    /// The union member number the schema pairs with `builtin`, or nil when the operator has no options
    /// table (LOGISTIC, RELU, RELU6) or Curbside does not know it.
    public static func unionType(for builtin: TFLiteBuiltinOperator) -> UInt8? {
        switch builtin {
        case .conv2D: 1
        case .depthwiseConv2D: 2
        case .averagePool2D, .maxPool2D: 5
        case .fullyConnected: 8
        case .softmax: 9
        case .concatenation: 10
        case .add: 11
        case .reshape: 17
        case .mul: 21
        case .pad: 22
        case .batchToSpaceND: 24
        case .spaceToBatchND: 25
        case .mean: 27
        case .stridedSlice: 32
        case .dequantize: 38
        case .padV2: 43
        case .shape: 55
        case .pack: 59
        case .quantize: 89
        case .hardSwish: 91
        default: nil
        }
    }

    /// The schema's table name for union member `type`, for errors.
    static func tableName(ofUnionType type: UInt8) -> String {
        switch type {
        case 1: "Conv2DOptions"
        case 2: "DepthwiseConv2DOptions"
        case 5: "Pool2DOptions"
        case 8: "FullyConnectedOptions"
        case 9: "SoftmaxOptions"
        case 10: "ConcatenationOptions"
        case 11: "AddOptions"
        case 17: "ReshapeOptions"
        case 21: "MulOptions"
        case 22: "PadOptions"
        case 24: "BatchToSpaceNDOptions"
        case 25: "SpaceToBatchNDOptions"
        case 27: "ReducerOptions"
        case 32: "StridedSliceOptions"
        case 38: "DequantizeOptions"
        case 43: "PadV2Options"
        case 55: "ShapeOptions"
        case 59: "PackOptions"
        case 89: "QuantizeOptions"
        case 91: "HardSwishOptions"
        default: "BuiltinOptions#\(type)"
        }
    }
}

/// The `Padding` enum (int8): SAME = 0, VALID = 1.
public enum TFLitePadding: Int8, Sendable {
    case same = 0
    case valid = 1
}

/// The `ActivationFunctionType` enum (int8) fused into an operator.
public enum TFLiteActivation: Int8, Sendable {
    case none = 0
    case relu = 1
    case reluN1To1 = 2
    case relu6 = 3
    case tanh = 4
    case signBit = 5
}

/// `Conv2DOptions`: padding (0), stride_w (1), stride_h (2), fused_activation_function (3),
/// dilation_w_factor (4, default 1), dilation_h_factor (5, default 1), quantized_bias_type (6).
public struct TFLiteConv2DOptions: Sendable, Equatable {
    public var padding: TFLitePadding
    public var strideWidth: Int32
    public var strideHeight: Int32
    public var activation: TFLiteActivation
    public var dilationWidth: Int32
    public var dilationHeight: Int32
    /// FLOAT32 (0, the default) means "not set": int8 convolutions then use int32 bias.
    public var quantizedBiasType: TFLiteTensorType

    public init(padding: TFLitePadding = .same, strideWidth: Int32 = 0, strideHeight: Int32 = 0,
                activation: TFLiteActivation = .none, dilationWidth: Int32 = 1, dilationHeight: Int32 = 1,
                quantizedBiasType: TFLiteTensorType = .float32) {
        self.padding = padding
        self.strideWidth = strideWidth
        self.strideHeight = strideHeight
        self.activation = activation
        self.dilationWidth = dilationWidth
        self.dilationHeight = dilationHeight
        self.quantizedBiasType = quantizedBiasType
    }
}

/// `DepthwiseConv2DOptions`: padding (0), stride_w (1), stride_h (2), depth_multiplier (3),
/// fused_activation_function (4), dilation_w_factor (5, default 1), dilation_h_factor (6, default 1).
public struct TFLiteDepthwiseConv2DOptions: Sendable, Equatable {
    public var padding: TFLitePadding
    public var strideWidth: Int32
    public var strideHeight: Int32
    /// Redundant with the shapes (TFLite ignores it in newer kernels); kept for checking.
    public var depthMultiplier: Int32
    public var activation: TFLiteActivation
    public var dilationWidth: Int32
    public var dilationHeight: Int32

    public init(padding: TFLitePadding = .same, strideWidth: Int32 = 0, strideHeight: Int32 = 0,
                depthMultiplier: Int32 = 0, activation: TFLiteActivation = .none, dilationWidth: Int32 = 1,
                dilationHeight: Int32 = 1) {
        self.padding = padding
        self.strideWidth = strideWidth
        self.strideHeight = strideHeight
        self.depthMultiplier = depthMultiplier
        self.activation = activation
        self.dilationWidth = dilationWidth
        self.dilationHeight = dilationHeight
    }
}

/// `Pool2DOptions` (AVERAGE_POOL_2D, MAX_POOL_2D): padding (0), stride_w (1), stride_h (2),
/// filter_width (3), filter_height (4), fused_activation_function (5).
public struct TFLitePool2DOptions: Sendable, Equatable {
    public var padding: TFLitePadding
    public var strideWidth: Int32
    public var strideHeight: Int32
    public var filterWidth: Int32
    public var filterHeight: Int32
    public var activation: TFLiteActivation

    public init(padding: TFLitePadding = .same, strideWidth: Int32 = 0, strideHeight: Int32 = 0,
                filterWidth: Int32 = 0, filterHeight: Int32 = 0, activation: TFLiteActivation = .none) {
        self.padding = padding
        self.strideWidth = strideWidth
        self.strideHeight = strideHeight
        self.filterWidth = filterWidth
        self.filterHeight = filterHeight
        self.activation = activation
    }
}

/// `FullyConnectedOptions`: fused_activation_function (0), weights_format (1, DEFAULT = 0,
/// SHUFFLED4x16INT8 = 1), keep_num_dims (2), asymmetric_quantize_inputs (3), quantized_bias_type (4).
public struct TFLiteFullyConnectedOptions: Sendable, Equatable {
    public var activation: TFLiteActivation
    /// 0 = DEFAULT, 1 = SHUFFLED4x16INT8.
    public var weightsFormat: Int8
    public var keepNumDims: Bool
    public var asymmetricQuantizeInputs: Bool
    public var quantizedBiasType: TFLiteTensorType

    public init(activation: TFLiteActivation = .none, weightsFormat: Int8 = 0, keepNumDims: Bool = false,
                asymmetricQuantizeInputs: Bool = false, quantizedBiasType: TFLiteTensorType = .float32) {
        self.activation = activation
        self.weightsFormat = weightsFormat
        self.keepNumDims = keepNumDims
        self.asymmetricQuantizeInputs = asymmetricQuantizeInputs
        self.quantizedBiasType = quantizedBiasType
    }
}

/// `StridedSliceOptions`: begin_mask (0), end_mask (1), ellipsis_mask (2), new_axis_mask (3),
/// shrink_axis_mask (4), offset (5, bool: `end` is an offset from `begin`).
public struct TFLiteStridedSliceOptions: Sendable, Equatable {
    public var beginMask: Int32
    public var endMask: Int32
    public var ellipsisMask: Int32
    public var newAxisMask: Int32
    public var shrinkAxisMask: Int32
    public var offset: Bool

    public init(beginMask: Int32 = 0, endMask: Int32 = 0, ellipsisMask: Int32 = 0, newAxisMask: Int32 = 0,
                shrinkAxisMask: Int32 = 0, offset: Bool = false) {
        self.beginMask = beginMask
        self.endMask = endMask
        self.ellipsisMask = ellipsisMask
        self.newAxisMask = newAxisMask
        self.shrinkAxisMask = shrinkAxisMask
        self.offset = offset
    }
}
