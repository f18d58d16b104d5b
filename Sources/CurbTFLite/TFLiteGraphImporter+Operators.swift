import CurbModel

/// One TFLite operator → one `.curb` operator, with the integer parameters computed by the `CurbModel`
/// factories exactly as TFLite's Prepare computes them, fused activations as clamp ranges and SAME/VALID
/// as explicit padding. Shapes and quantization the factories do not check are checked afterwards by
/// ``ModelValidator``, whose errors the importer maps back to the TFLite operator.
extension TFLiteGraphImporter {
    static let supportedOperators = "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, MUL, AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, SOFTMAX, LOGISTIC, HARD_SWISH, RELU, RELU6, RESHAPE, PAD, PADV2, CONCATENATION, STRIDED_SLICE, QUANTIZE, DEQUANTIZE (int8); SHAPE and PACK as static shape arithmetic; SPACE_TO_BATCH_ND → [RELU|RELU6|QUANTIZE] → (DEPTHWISE_)CONV_2D → BATCH_TO_SPACE_ND as a dilated convolution"

    /// Imports TFLite operator `index` (already known not to be part of a fold).
    mutating func importOperator(_ index: Int) throws(TFLiteImportError) {
        let op = graph.operators[index]
        let builtin = source.operatorCodes[op.opcodeIndex].builtinCode
        guard builtin != .custom else { throw fail("custom operators are not supported", supported: Self.supportedOperators) }
        guard op.builtinOptions2Type == 0 else {
            throw fail("builtin_options_2 (StableHLO) is set", supported: Self.supportedOperators)
        }
        if try foldShapeArithmetic(op, builtin) { return }
        guard op.outputs.count == 1 else {
            throw fail("\(op.outputs.count) outputs", supported: "operators with one output")
        }
        switch builtin {
        case .conv2D, .depthwiseConv2D: try importConvolution(op, depthwise: builtin == .depthwiseConv2D)
        case .fullyConnected: try importFullyConnected(op)
        case .add, .mul: try importBinary(op, builtin)
        case .averagePool2D, .maxPool2D: try importPool(op, average: builtin == .averagePool2D)
        case .mean: try importMean(op)
        case .softmax, .logistic, .hardSwish, .relu, .relu6, .quantize, .dequantize: try importUnary(op, builtin)
        case .reshape: try importReshape(op)
        case .pad, .padV2: try importPad(op, builtin)
        case .concatenation: try importConcatenation(op)
        case .stridedSlice: try importStridedSlice(op)
        case .spaceToBatchND: try foldDilatedConvolution(at: index)
        case .batchToSpaceND:
            throw fail("BATCH_TO_SPACE_ND outside a dilated convolution",
                       supported: "SPACE_TO_BATCH_ND → [RELU|RELU6|QUANTIZE] → (DEPTHWISE_)CONV_2D → BATCH_TO_SPACE_ND")
        default:
            throw fail("operator not supported", supported: Self.supportedOperators)
        }
    }

    // MARK: - Shared pieces

    /// A TFLite fused activation as a `.curb` clamp kind.
    func fusedActivation(_ activation: TFLiteActivation) throws(TFLiteImportError) -> FusedActivation {
        switch activation {
        case .none: return .none
        case .relu: return .relu
        case .relu6: return .relu6
        case .reluN1To1: return .reluMinus1To1
        case .tanh, .signBit:
            throw fail("fused activation \(activation)", supported: "fused NONE, RELU, RELU6, RELU_N1_TO_1")
        }
    }

    /// A stride, dilation or window size from the options: 1...65535.
    func windowField(_ value: Int32, _ name: String) throws(TFLiteImportError) -> Int {
        guard (1...65_535).contains(value) else { throw fail("\(name) is \(value)", supported: "\(name) in 1...65535") }
        return Int(value)
    }

    func paddingScheme(_ padding: TFLitePadding) -> PaddingScheme { padding == .same ? .same : .valid }

    /// An int8 activation tensor of `rank` (nil: any) with one scale: its scale and zero point.
    func activation(_ index: Int32, tflite tensor: Int, rank: Int? = nil) throws(TFLiteImportError) -> (scale: Float, zeroPoint: Int32) {
        let value = self.tensor(index)
        guard value.type == .int8 else {
            throw fail("\(graph.tensors[tensor].type) activation", tensor: tensor,
                       supported: "int8 activations (float32 only into QUANTIZE and out of DEQUANTIZE)")
        }
        if let rank, value.shape.rank != rank {
            throw fail("rank \(value.shape.rank)", tensor: tensor, supported: "rank \(rank)")
        }
        return try scaleAndZeroPoint(index, tflite: tensor)
    }

    /// Symmetric int8 weights in the file: the filter scales (1, or one per output channel).
    func weights(_ index: Int32, tflite tensor: Int, rank: Int, channels: Int) throws(TFLiteImportError) -> [Float] {
        let filter = self.tensor(index)
        guard filter.isConstant else {
            throw fail("the weights are computed at run time", tensor: tensor, supported: "constant weights")
        }
        guard filter.type == .int8, filter.shape.rank == rank, let quantization = filter.quantization else {
            throw fail("weights of type \(graph.tensors[tensor].type), shape \(filter.shape)", tensor: tensor,
                       supported: "quantized int8 weights of rank \(rank)")
        }
        guard quantization.zeroPoint == 0 else {
            throw fail("weights have zero point \(quantization.zeroPoint)", tensor: tensor,
                       supported: "symmetric int8 weights (zero point 0), per tensor or per output channel")
        }
        guard quantization.scales.count == 1 || quantization.scales.count == channels else {
            throw fail("\(quantization.scales.count) weight scales for \(channels) output channels", tensor: tensor,
                       supported: "one scale, or one per output channel")
        }
        return quantization.scales
    }

    /// An optional int32 bias constant.
    mutating func bias(_ op: TFLiteOperator) throws(TFLiteImportError) -> Int32 {
        guard let index = try input(op, 2) else { return -1 }
        let bias = tensor(index)
        guard bias.isConstant, bias.type == .int32 else {
            throw fail("bias of type \(graph.tensors[op.inputs[2]].type)\(bias.isConstant ? "" : " computed at run time")",
                       tensor: op.inputs[2], supported: "a constant int32 bias")
        }
        return index
    }

    // MARK: - Operators

    mutating func importConvolution(_ op: TFLiteOperator, depthwise: Bool) throws(TFLiteImportError) {
        let strides: (Int32, Int32), dilations: (Int32, Int32), scheme: TFLitePadding, fused: TFLiteActivation
        switch op.builtinOptions {
        case .conv2D(let options) where !depthwise:
            guard options.quantizedBiasType == .float32 || options.quantizedBiasType == .int32 else {
                throw fail("quantized bias type \(options.quantizedBiasType)", supported: "int32 bias")
            }
            (strides, dilations) = ((options.strideHeight, options.strideWidth), (options.dilationHeight, options.dilationWidth))
            (scheme, fused) = (options.padding, options.activation)
        case .depthwiseConv2D(let options) where depthwise:
            (strides, dilations) = ((options.strideHeight, options.strideWidth), (options.dilationHeight, options.dilationWidth))
            (scheme, fused) = (options.padding, options.activation)
        default:
            throw fail("missing or mismatched options", supported: "CONV_2D / DEPTHWISE_CONV_2D with their options")
        }
        let input = try requiredInput(op, 0), filter = try requiredInput(op, 1)
        let inputShape = tensor(input).shape, filterShape = tensor(filter).shape
        guard inputShape.rank == 4, filterShape.rank == 4 else {
            throw fail("input rank \(inputShape.rank), filter rank \(filterShape.rank)", supported: "NHWC input and a rank-4 filter")
        }
        let strideHeight = try windowField(strides.0, "stride_h"), strideWidth = try windowField(strides.1, "stride_w")
        let dilationHeight = try windowField(dilations.0, "dilation_h_factor")
        let dilationWidth = try windowField(dilations.1, "dilation_w_factor")
        let resolved = Padding2D.resolve(paddingScheme(scheme), inputHeight: inputShape[1], inputWidth: inputShape[2],
                                         filterHeight: filterShape[1], filterWidth: filterShape[2],
                                         strideHeight: strideHeight, strideWidth: strideWidth,
                                         dilationHeight: dilationHeight, dilationWidth: dilationWidth)
        let output = try curbTensor(op.outputs[0])
        let options = try convolutionOptions(
            op, depthwise: depthwise, input: input, filter: filter, output: output, outputTensor: op.outputs[0],
            activation: try fusedActivation(fused),
            strides: (Int32(strideHeight), Int32(strideWidth)), dilations: (Int32(dilationHeight), Int32(dilationWidth)),
            padding: resolved.padding)
        let bias = try bias(op)
        emit(options, inputs: [input, filter, bias], outputs: [output])
    }

    /// The options of a convolution whose geometry is known (shared with the dilated-convolution fold, whose
    /// output is not the TFLite convolution's own: `outputTensor` names it in errors).
    func convolutionOptions(_ op: TFLiteOperator, depthwise: Bool, input: Int32, filter: Int32, output: Int32,
                            outputTensor: Int, activation: FusedActivation, strides: (Int32, Int32),
                            dilations: (Int32, Int32), padding: Padding2D) throws(TFLiteImportError) -> OperatorOptions {
        let (inputScale, _) = try self.activation(input, tflite: op.inputs[0], rank: 4)
        let (outputScale, outputZeroPoint) = try self.activation(output, tflite: outputTensor, rank: 4)
        let filterShape = tensor(filter).shape
        let inputChannels = tensor(input).shape[3]
        if depthwise {
            let channels = filterShape[3]
            guard filterShape[0] == 1, channels % inputChannels == 0 else {
                throw fail("filter \(filterShape) for \(inputChannels) input channels", tensor: op.inputs[1],
                           supported: "a [1, KH, KW, C · multiplier] depthwise filter")
            }
            let scales = try weights(filter, tflite: op.inputs[1], rank: 4, channels: channels)
            return .depthwiseConv2D(DepthwiseConv2DOptions.make(
                inputScale: inputScale, filterScales: scales, outputScale: outputScale, outputZeroPoint: outputZeroPoint,
                outputChannels: channels, depthMultiplier: Int32(channels / inputChannels), activation: activation,
                strideHeight: strides.0, strideWidth: strides.1, dilationHeight: dilations.0, dilationWidth: dilations.1,
                padding: padding))
        }
        let channels = filterShape[0]
        let scales = try weights(filter, tflite: op.inputs[1], rank: 4, channels: channels)
        return .conv2D(Conv2DOptions.make(
            inputScale: inputScale, filterScales: scales, outputScale: outputScale, outputZeroPoint: outputZeroPoint,
            outputChannels: channels, activation: activation, strideHeight: strides.0, strideWidth: strides.1,
            dilationHeight: dilations.0, dilationWidth: dilations.1, padding: padding))
    }

    mutating func importFullyConnected(_ op: TFLiteOperator) throws(TFLiteImportError) {
        guard case .fullyConnected(let options) = op.builtinOptions else {
            throw fail("missing FullyConnectedOptions", supported: "FULLY_CONNECTED with its options")
        }
        guard options.weightsFormat == 0 else {
            throw fail("shuffled weights format \(options.weightsFormat)", supported: "DEFAULT weights format")
        }
        guard options.quantizedBiasType == .float32 || options.quantizedBiasType == .int32 else {
            throw fail("quantized bias type \(options.quantizedBiasType)", supported: "int32 bias")
        }
        let input = try requiredInput(op, 0), filter = try requiredInput(op, 1)
        let (inputScale, _) = try activation(input, tflite: op.inputs[0])
        let filterShape = tensor(filter).shape
        guard filterShape.rank == 2 else {
            throw fail("filter shape \(filterShape)", tensor: op.inputs[1], supported: "a [outputs, depth] filter")
        }
        let scales = try weights(filter, tflite: op.inputs[1], rank: 2, channels: filterShape[0])
        let bias = try bias(op)
        let output = try curbTensor(op.outputs[0])
        let (outputScale, outputZeroPoint) = try activation(output, tflite: op.outputs[0])
        emit(.fullyConnected(FullyConnectedOptions.make(inputScale: inputScale, filterScales: scales, outputScale: outputScale,
                                                        outputZeroPoint: outputZeroPoint,
                                                        activation: try fusedActivation(options.activation))),
             inputs: [input, filter, bias], outputs: [output])
    }

    mutating func importBinary(_ op: TFLiteOperator, _ builtin: TFLiteBuiltinOperator) throws(TFLiteImportError) {
        let fused: TFLiteActivation
        switch op.builtinOptions {
        case .add(let activation, _) where builtin == .add: fused = activation
        case .mul(let activation) where builtin == .mul: fused = activation
        case .none: fused = .none
        default: throw fail("mismatched options", supported: "ADD / MUL with their options")
        }
        guard op.inputs.count == 2 else { throw fail("\(op.inputs.count) inputs", supported: "two inputs") }
        let first = try requiredInput(op, 0), second = try requiredInput(op, 1)
        let output = try curbTensor(op.outputs[0])
        let (firstScale, _) = try activation(first, tflite: op.inputs[0])
        let (secondScale, _) = try activation(second, tflite: op.inputs[1])
        let (outputScale, outputZeroPoint) = try activation(output, tflite: op.outputs[0])
        let activation = try fusedActivation(fused)
        let options: OperatorOptions
        do throws(ModelError) {
            options = builtin == .add
                ? .add(try AddOptions.make(input1Scale: firstScale, input2Scale: secondScale, outputScale: outputScale,
                                           outputZeroPoint: outputZeroPoint, activation: activation))
                : .mul(try MulOptions.make(input1Scale: firstScale, input2Scale: secondScale, outputScale: outputScale,
                                           outputZeroPoint: outputZeroPoint, activation: activation))
        } catch { throw fail(error) }
        emit(options, inputs: [first, second], outputs: [output])
    }

    mutating func importPool(_ op: TFLiteOperator, average: Bool) throws(TFLiteImportError) {
        guard case .pool2D(let options) = op.builtinOptions else {
            throw fail("missing Pool2DOptions", supported: "pooling with its options")
        }
        let input = try requiredInput(op, 0)
        let shape = tensor(input).shape
        _ = try activation(input, tflite: op.inputs[0], rank: 4)
        let output = try curbTensor(op.outputs[0])
        let (outputScale, outputZeroPoint) = try activation(output, tflite: op.outputs[0], rank: 4)
        let filterHeight = try windowField(options.filterHeight, "filter_height")
        let filterWidth = try windowField(options.filterWidth, "filter_width")
        let strideHeight = try windowField(options.strideHeight, "stride_h")
        let strideWidth = try windowField(options.strideWidth, "stride_w")
        let resolved = Padding2D.resolve(paddingScheme(options.padding), inputHeight: shape[1], inputWidth: shape[2],
                                         filterHeight: filterHeight, filterWidth: filterWidth,
                                         strideHeight: strideHeight, strideWidth: strideWidth)
        let pool = Pool2DOptions.make(filterHeight: Int32(filterHeight), filterWidth: Int32(filterWidth),
                                      strideHeight: Int32(strideHeight), strideWidth: Int32(strideWidth),
                                      padding: resolved.padding, outputScale: outputScale, outputZeroPoint: outputZeroPoint,
                                      activation: try fusedActivation(options.activation))
        emit(average ? .averagePool2D(pool) : .maxPool2D(pool), inputs: [input], outputs: [output])
    }

    mutating func importMean(_ op: TFLiteOperator) throws(TFLiteImportError) {
        guard case .reducer(let keepDims) = op.builtinOptions else {
            throw fail("missing ReducerOptions", supported: "MEAN with its options")
        }
        let input = try requiredInput(op, 0)
        let (inputScale, _) = try activation(input, tflite: op.inputs[0])
        let rank = tensor(input).shape.rank
        let axes = try requiredInt32(op, 1, "axes").values
        var normalized: [Int32] = []
        for axis in axes {
            guard axis >= -Int32(rank), axis < Int32(rank) else {
                throw fail("axis \(axis) of a rank-\(rank) input", supported: "axes in -rank..<rank")
            }
            let positive = axis < 0 ? axis + Int32(rank) : axis
            if !normalized.contains(positive) { normalized.append(positive) }
        }
        guard !normalized.isEmpty else { throw fail("no axes", supported: "at least one reduced axis") }
        let output = try curbTensor(op.outputs[0])
        let (outputScale, _) = try activation(output, tflite: op.outputs[0])
        emit(.mean(MeanOptions.make(axes: normalized.sorted(), keepDims: keepDims, inputScale: inputScale,
                                    outputScale: outputScale)),
             inputs: [input], outputs: [output])
    }

    /// Single-input operators whose parameters come from the input and output quantization.
    mutating func importUnary(_ op: TFLiteOperator, _ builtin: TFLiteBuiltinOperator) throws(TFLiteImportError) {
        let input = try requiredInput(op, 0)
        let output = try curbTensor(op.outputs[0])
        emit(try unaryOptions(op, builtin, input: input, output: output), inputs: [input], outputs: [output])
    }

    /// The options of a single-input operator (shared with the dilated-convolution fold).
    func unaryOptions(_ op: TFLiteOperator, _ builtin: TFLiteBuiltinOperator, input: Int32,
                      output: Int32) throws(TFLiteImportError) -> OperatorOptions {
        let inputType = tensor(input).type, outputType = tensor(output).type
        do {
            switch builtin {
            case .quantize:
                guard outputType == .int8 else {
                    throw fail("QUANTIZE to \(graph.tensors[op.outputs[0]].type)", supported: "QUANTIZE to int8")
                }
                let (outputScale, _) = try activation(output, tflite: op.outputs[0])
                if inputType == .float32 { return .quantize(QuantizeOptions()) }
                let (inputScale, _) = try activation(input, tflite: op.inputs[0])
                return .quantize(try QuantizeOptions.requantize(inputScale: inputScale, outputScale: outputScale))
            case .dequantize:
                guard outputType == .float32 else {
                    throw fail("DEQUANTIZE to \(graph.tensors[op.outputs[0]].type)", supported: "DEQUANTIZE int8 → float32")
                }
                _ = try activation(input, tflite: op.inputs[0])
                return .dequantize(DequantizeOptions())
            default:
                break
            }
            let (inputScale, inputZeroPoint) = try activation(input, tflite: op.inputs[0])
            let (outputScale, outputZeroPoint) = try activation(output, tflite: op.outputs[0])
            switch builtin {
            case .softmax:
                guard case .softmax(let beta) = op.builtinOptions else {
                    throw fail("missing SoftmaxOptions", supported: "SOFTMAX with its options")
                }
                return .softmax(try SoftmaxOptions.make(inputScale: inputScale, beta: beta))
            case .logistic:
                return .logistic(try LookupTableOptions.logistic(inputScale: inputScale, inputZeroPoint: inputZeroPoint,
                                                                 outputScale: outputScale, outputZeroPoint: outputZeroPoint))
            case .hardSwish:
                return .hardSwish(try HardSwishOptions.make(inputScale: inputScale, outputScale: outputScale))
            case .relu:
                return .relu(try ReluOptions.relu(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: outputZeroPoint))
            case .relu6:
                return .relu6(try ReluOptions.relu6(inputScale: inputScale, outputScale: outputScale, outputZeroPoint: outputZeroPoint))
            default:
                throw fail("operator not supported", supported: Self.supportedOperators)
            }
        } catch let error as ModelError {
            throw fail(error)
        } catch let error as TFLiteImportError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }

    mutating func importReshape(_ op: TFLiteOperator) throws(TFLiteImportError) {
        let input = try requiredInput(op, 0)
        let elements = tensor(input).shape.elementCount
        var requested: [Int32]
        if op.inputs.count > 1, op.inputs[1] >= 0 {
            let value = try requiredInt32(op, 1, "shape")
            guard value.shape.count <= 1 else {
                throw fail("shape operand of shape \(value.shape)", supported: "a 1-D shape operand")
            }
            requested = value.values
        } else if case .reshape(let newShape?) = op.builtinOptions {
            requested = newShape
        } else {
            throw fail("no new shape (neither a shape input nor ReshapeOptions)", supported: "RESHAPE with a static new shape")
        }
        // One −1 takes what the other dimensions leave (TFLite's rule); everything else must be ≥ 1.
        let known = requested.filter { $0 != -1 }
        guard requested.count - known.count <= 1, known.allSatisfy({ $0 >= 1 }),
              let knownCount = Self.elementCount(known.map(Int.init), limit: ModelValidator.maximumTensorBytes),
              elements % knownCount == 0 else {
            throw fail("new shape \(requested) does not fit \(elements) elements", supported: "a new shape with the input's element count and at most one -1")
        }
        let resolved = requested.map { $0 == -1 ? elements / knownCount : Int($0) }
        let declared = try shape(of: op.outputs[0])
        guard resolved == declared else {
            throw fail("new shape \(resolved) differs from the declared output shape \(declared)", tensor: op.outputs[0],
                       supported: "static shapes")
        }
        let output = try curbTensor(op.outputs[0])
        emit(.reshape(ReshapeOptions()), inputs: [input], outputs: [output])
    }

    mutating func importPad(_ op: TFLiteOperator, _ builtin: TFLiteBuiltinOperator) throws(TFLiteImportError) {
        let input = try requiredInput(op, 0)
        let rank = tensor(input).shape.rank
        let paddings = try requiredInt32(op, 1, "paddings")
        guard paddings.shape == [rank, 2] else {
            throw fail("paddings of shape \(paddings.shape) for a rank-\(rank) input", supported: "paddings [rank, 2]")
        }
        let before = stride(from: 0, to: paddings.values.count, by: 2).map { paddings.values[$0] }
        let after = stride(from: 1, to: paddings.values.count, by: 2).map { paddings.values[$0] }
        let output = try curbTensor(op.outputs[0])
        let (outputScale, outputZeroPoint) = try activation(output, tflite: op.outputs[0])
        var options: PadOptions
        do throws(ModelError) { options = try PadOptions.make(before: before, after: after, outputZeroPoint: outputZeroPoint) } catch { throw fail(error) }
        if builtin == .padV2, op.inputs.count > 2, op.inputs[2] >= 0 {
            // PADV2's constant is written as its raw int8 value, so it must be in the output's quantization.
            let constant = op.inputs[2]
            let declared = graph.tensors[constant]
            guard declared.type == .int8, isConstant(constant),
                  source.buffers[declared.buffer].data.count == 1 else {
                throw fail("constant_values is not one constant int8 value", tensor: constant,
                           supported: "a constant int8 scalar in the output's quantization")
            }
            let quantization = try quantization(of: constant, shape: [], type: .int8)
            if let quantization, quantization.scale != outputScale || quantization.zeroPoint != outputZeroPoint {
                throw fail("constant_values quantization differs from the output's", tensor: constant,
                           supported: "a constant in the output's scale and zero point")
            }
            options.value = Int32(Int8(bitPattern: bytes[source.buffers[declared.buffer].data.lowerBound]))
        }
        emit(.pad(options), inputs: [input], outputs: [output])
    }

    mutating func importConcatenation(_ op: TFLiteOperator) throws(TFLiteImportError) {
        guard case .concatenation(let axis, let fused) = op.builtinOptions else {
            throw fail("missing ConcatenationOptions", supported: "CONCATENATION with its options")
        }
        guard fused == .none else {
            throw fail("fused activation \(fused) on CONCATENATION", supported: "CONCATENATION without a fused activation (TFLite's int8 kernel ignores it)")
        }
        guard !op.inputs.isEmpty, op.inputs.count <= ModelValidator.maximumOperatorInputs else {
            throw fail("\(op.inputs.count) inputs", supported: "1...\(ModelValidator.maximumOperatorInputs) inputs")
        }
        var inputs: [Int32] = []
        for position in op.inputs.indices { inputs.append(try requiredInput(op, position)) }
        let output = try curbTensor(op.outputs[0])
        let rank = Int32(tensor(output).shape.rank)
        guard axis >= -rank, axis < rank else { throw fail("axis \(axis) of rank \(rank)", supported: "axes in -rank..<rank") }
        emit(.concatenation(ConcatenationOptions(axis: axis < 0 ? axis + rank : axis)), inputs: inputs, outputs: [output])
    }

    mutating func importStridedSlice(_ op: TFLiteOperator) throws(TFLiteImportError) {
        guard case .stridedSlice(let options) = op.builtinOptions else {
            throw fail("missing StridedSliceOptions", supported: "STRIDED_SLICE with its options")
        }
        let input = try requiredInput(op, 0)
        let begin = try requiredInt32(op, 1, "begin"), end = try requiredInt32(op, 2, "end")
        let strides = try requiredInt32(op, 3, "strides")
        let resolved: (options: StridedSliceOptions, outputShape: [Int])
        do throws(ModelError) {
            resolved = try StridedSliceOptions.resolve(
                shape: tensor(input).shape, begin: begin.values, end: end.values, strides: strides.values,
                beginMask: options.beginMask, endMask: options.endMask, shrinkAxisMask: options.shrinkAxisMask,
                ellipsisMask: options.ellipsisMask, newAxisMask: options.newAxisMask, offset: options.offset)
        } catch { throw fail(error) }
        let declared = try shape(of: op.outputs[0])
        guard resolved.outputShape == declared else {
            throw fail("slice gives shape \(resolved.outputShape), the output declares \(declared)", tensor: op.outputs[0],
                       supported: "static slices")
        }
        let output = try curbTensor(op.outputs[0])
        emit(.stridedSlice(resolved.options), inputs: [input], outputs: [output])
    }
}
