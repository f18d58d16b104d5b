extension TFLiteReader {
    /// Decodes the options table of union member `type`. An absent table (type set, offset 0) reads as all
    /// defaults, as TFLite's own parsers do when `builtin_options_as_…()` returns null.
    static func decodeOptions(type: UInt8, table: FlatBufferTable?) throws(TFLiteError) -> TFLiteBuiltinOptions {
        let options = OptionsTable(table: table)
        switch type {
        case 0:
            return .none
        case 1:
            return .conv2D(TFLiteConv2DOptions(
                padding: try options.padding(0), strideWidth: try options.int32(1, "stride_w"),
                strideHeight: try options.int32(2, "stride_h"), activation: try options.activation(3),
                dilationWidth: try options.int32(4, "dilation_w_factor", default: 1),
                dilationHeight: try options.int32(5, "dilation_h_factor", default: 1),
                quantizedBiasType: try options.tensorType(6, "quantized_bias_type")))
        case 2:
            return .depthwiseConv2D(TFLiteDepthwiseConv2DOptions(
                padding: try options.padding(0), strideWidth: try options.int32(1, "stride_w"),
                strideHeight: try options.int32(2, "stride_h"),
                depthMultiplier: try options.int32(3, "depth_multiplier"), activation: try options.activation(4),
                dilationWidth: try options.int32(5, "dilation_w_factor", default: 1),
                dilationHeight: try options.int32(6, "dilation_h_factor", default: 1)))
        case 5:
            return .pool2D(TFLitePool2DOptions(
                padding: try options.padding(0), strideWidth: try options.int32(1, "stride_w"),
                strideHeight: try options.int32(2, "stride_h"), filterWidth: try options.int32(3, "filter_width"),
                filterHeight: try options.int32(4, "filter_height"), activation: try options.activation(5)))
        case 8:
            let weightsFormat = try options.int8(1, "weights_format")
            guard weightsFormat == 0 || weightsFormat == 1 else {
                throw options.unknown("weights_format", weightsFormat, expected: "0 (DEFAULT) or 1 (SHUFFLED4x16INT8)")
            }
            return .fullyConnected(TFLiteFullyConnectedOptions(
                activation: try options.activation(0), weightsFormat: weightsFormat,
                keepNumDims: try options.bool(2, "keep_num_dims"),
                asymmetricQuantizeInputs: try options.bool(3, "asymmetric_quantize_inputs"),
                quantizedBiasType: try options.tensorType(4, "quantized_bias_type")))
        case 9:
            return .softmax(beta: try options.float32(0, "beta"))
        case 10:
            return .concatenation(axis: try options.int32(0, "axis"), activation: try options.activation(1))
        case 11:
            return .add(activation: try options.activation(0), potScaleInt16: try options.bool(1, "pot_scale_int16", default: true))
        case 17:
            var newShape: [Int32]?
            if let vector = try table?.vector(0, "new_shape", elementSize: 4) {
                try vector.requireCount(atMost: maximumRank)
                newShape = try vector.integers(Int32.self)
            }
            return .reshape(newShape: newShape)
        case 21:
            return .mul(activation: try options.activation(0))
        case 22: return .pad
        case 24: return .batchToSpaceND
        case 25: return .spaceToBatchND
        case 27:
            return .reducer(keepDims: try options.bool(0, "keep_dims"))
        case 32:
            return .stridedSlice(TFLiteStridedSliceOptions(
                beginMask: try options.int32(0, "begin_mask"), endMask: try options.int32(1, "end_mask"),
                ellipsisMask: try options.int32(2, "ellipsis_mask"), newAxisMask: try options.int32(3, "new_axis_mask"),
                shrinkAxisMask: try options.int32(4, "shrink_axis_mask"), offset: try options.bool(5, "offset")))
        case 38: return .dequantize
        case 43: return .padV2
        case 55:
            return .shape(outputType: try options.tensorType(0, "out_type"))
        case 59:
            return .pack(valuesCount: try options.int32(0, "values_count"), axis: try options.int32(1, "axis"))
        case 89: return .quantize
        case 91: return .hardSwish
        default:
            return .other(type: type)
        }
    }
}

/// An options table that may be absent; every read falls back to the schema default.
private struct OptionsTable {
    let table: FlatBufferTable?

    var name: String { table?.name ?? "options" }

    func int32(_ id: Int, _ field: String, default value: Int32 = 0) throws(TFLiteError) -> Int32 {
        try table?.scalar(id, field, default: value) ?? value
    }

    func int8(_ id: Int, _ field: String) throws(TFLiteError) -> Int8 {
        try table?.scalar(id, field, default: Int8(0)) ?? 0
    }

    func bool(_ id: Int, _ field: String, default value: Bool = false) throws(TFLiteError) -> Bool {
        try table?.bool(id, field, default: value) ?? value
    }

    func float32(_ id: Int, _ field: String) throws(TFLiteError) -> Float {
        try table?.float32(id, field, default: 0) ?? 0
    }

    func padding(_ id: Int) throws(TFLiteError) -> TFLitePadding {
        let raw = try int8(id, "padding")
        guard let padding = TFLitePadding(rawValue: raw) else {
            throw unknown("padding", raw, expected: "0 (SAME) or 1 (VALID)")
        }
        return padding
    }

    func activation(_ id: Int) throws(TFLiteError) -> TFLiteActivation {
        let raw = try int8(id, "fused_activation_function")
        guard let activation = TFLiteActivation(rawValue: raw) else {
            throw unknown("fused_activation_function", raw, expected: "0...5 (NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT)")
        }
        return activation
    }

    func tensorType(_ id: Int, _ field: String) throws(TFLiteError) -> TFLiteTensorType {
        let raw = try int8(id, field)
        guard raw >= 0 else { throw unknown(field, raw, expected: "a TensorType ≥ 0") }
        return TFLiteTensorType(rawValue: raw)
    }

    func unknown(_ field: String, _ raw: Int8, expected: String) -> TFLiteError {
        TFLiteError(.unknownEnumeration, "unknown value \(raw)", table: name, field: field, offset: table?.position,
                    expected: expected)
    }
}
