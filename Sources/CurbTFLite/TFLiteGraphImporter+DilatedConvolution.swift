import CurbModel

/// SPACE_TO_BATCH_ND → [RELU | RELU6 | QUANTIZE] → CONV_2D or DEPTHWISE_CONV_2D → BATCH_TO_SPACE_ND is a
/// dilated convolution in its unfused form (converters fold it themselves unless something sits between the
/// rearrangement and the convolution). The importer turns the chain into one dilated convolution.
///
/// Geometry (one spatial axis; block `b`, SPACE_TO_BATCH padding `pb`, crop `c`, the batched convolution's
/// own padding `p` and dilation `d`, stride 1): output row `Y = y·b + i − c` of batch phase `i` reads padded
/// row `(y − p + k·d)·b + i`, i.e. input row `Y − (pb + p·b − c) + k·(d·b)`. So it is a convolution with
/// dilation `d·b` and leading padding `pb + p·b − c`; the trailing padding follows from the output size.
/// Taps that fall in SPACE_TO_BATCH's padding read the input zero point (TFLite pads quantized tensors with
/// the output zero point) and taps outside the batched tensor are skipped by the convolution: both
/// contribute `(zp − zp)·w = 0`, exactly as the dilated convolution's skipped padding taps do.
extension TFLiteGraphImporter {
    static let dilatedPattern = "SPACE_TO_BATCH_ND → [RELU|RELU6|QUANTIZE] → (DEPTHWISE_)CONV_2D (stride 1) → BATCH_TO_SPACE_ND with the same block"

    /// The one operator reading `tensor`, when it runs after `index` and `tensor` is not a graph output.
    func soleConsumer(of tensor: Int, after index: Int) -> Int? {
        guard !graph.outputs.contains(tensor), let readers = consumers[tensor], readers.count == 1,
              readers[0] > index else { return nil }
        return readers[0]
    }

    func builtin(_ index: Int) -> TFLiteBuiltinOperator {
        source.operatorCodes[graph.operators[index].opcodeIndex].builtinCode
    }

    mutating func foldDilatedConvolution(at index: Int) throws(TFLiteImportError) {
        let spaceToBatch = graph.operators[index]
        func refuse(_ what: String) -> TFLiteImportError { fail(what, supported: Self.dilatedPattern) }
        guard spaceToBatch.inputs.count == 3, spaceToBatch.inputs[0] >= 0, spaceToBatch.outputs.count == 1 else {
            throw refuse("needs 3 inputs and one output")
        }
        let source = spaceToBatch.inputs[0], batched = spaceToBatch.outputs[0]
        let block = try requiredInt32(spaceToBatch, 1, "block shape")
        let paddings = try requiredInt32(spaceToBatch, 2, "paddings")
        guard block.shape == [2], paddings.shape == [2, 2], block.values.allSatisfy({ (1...65_535).contains($0) }),
              paddings.values.allSatisfy({ (0...65_535).contains($0) }) else {
            throw refuse("block shape \(block.values) / paddings \(paddings.values)")
        }

        // Follow the chain; every intermediate tensor must be read by the next link only.
        guard var next = soleConsumer(of: batched, after: index) else {
            throw refuse("SPACE_TO_BATCH_ND's output is not read by exactly one later operator")
        }
        var unary: Int?
        var convolutionInput = batched
        if [.relu, .relu6, .quantize].contains(builtin(next)) {
            unary = next
            let unaryOp = graph.operators[next]
            guard unaryOp.inputs.count == 1, unaryOp.inputs[0] == batched, unaryOp.outputs.count == 1,
                  let after = soleConsumer(of: unaryOp.outputs[0], after: next) else {
                throw refuse("the \(builtin(next)) after SPACE_TO_BATCH_ND feeds more than the convolution")
            }
            convolutionInput = unaryOp.outputs[0]
            next = after
        }
        let convolutionIndex = next
        let depthwise = builtin(convolutionIndex) == .depthwiseConv2D
        let convolution = graph.operators[convolutionIndex]
        guard builtin(convolutionIndex) == .conv2D || depthwise, convolution.inputs.count >= 2,
              convolution.inputs[0] == convolutionInput, convolution.outputs.count == 1,
              let batchToSpaceIndex = soleConsumer(of: convolution.outputs[0], after: convolutionIndex),
              builtin(batchToSpaceIndex) == .batchToSpaceND else {
            throw refuse("the chain does not continue with a convolution and BATCH_TO_SPACE_ND")
        }
        let batchToSpace = graph.operators[batchToSpaceIndex]
        guard batchToSpace.inputs.count == 3, batchToSpace.inputs[0] == convolution.outputs[0],
              batchToSpace.outputs.count == 1 else { throw refuse("BATCH_TO_SPACE_ND needs 3 inputs") }
        let crops = try requiredInt32(batchToSpace, 2, "crops")
        guard try requiredInt32(batchToSpace, 1, "block shape").values == block.values, crops.shape == [2, 2],
              crops.values.allSatisfy({ (0...65_535).contains($0) }) else {
            throw refuse("BATCH_TO_SPACE_ND's block or crops do not match")
        }

        // The convolution's own geometry, on the batched tensor.
        let strides: (Int32, Int32), dilations: (Int32, Int32), scheme: TFLitePadding, fused: TFLiteActivation
        switch convolution.builtinOptions {
        case .conv2D(let options) where !depthwise:
            (strides, dilations, scheme, fused) = ((options.strideHeight, options.strideWidth),
                                                   (options.dilationHeight, options.dilationWidth), options.padding, options.activation)
        case .depthwiseConv2D(let options) where depthwise:
            (strides, dilations, scheme, fused) = ((options.strideHeight, options.strideWidth),
                                                   (options.dilationHeight, options.dilationWidth), options.padding, options.activation)
        default:
            throw refuse("the convolution's options are missing")
        }
        guard strides == (1, 1) else { throw refuse("the convolution has stride \(strides.0)x\(strides.1)") }
        let dilationHeight = try windowField(dilations.0, "dilation_h_factor")
        let dilationWidth = try windowField(dilations.1, "dilation_w_factor")

        let input = try curbTensor(source)
        let inputShape = try shape(of: source)
        let filterShape = try shape(of: convolution.inputs[1])
        let outputShape = try shape(of: batchToSpace.outputs[0])
        guard inputShape.count == 4, filterShape.count == 4, outputShape.count == 4 else {
            throw refuse("ranks \(inputShape.count), \(filterShape.count), \(outputShape.count)")
        }
        var padding: [Int] = []
        for axis in 0..<2 {
            let size = inputShape[1 + axis], blockSize = Int(block.values[axis])
            let padBefore = Int(paddings.values[2 * axis]), padAfter = Int(paddings.values[2 * axis + 1])
            let cropBefore = Int(crops.values[2 * axis]), cropAfter = Int(crops.values[2 * axis + 1])
            let kernel = filterShape[1 + axis], dilation = axis == 0 ? dilationHeight : dilationWidth
            guard (size + padBefore + padAfter) % blockSize == 0 else {
                throw refuse("padded size \(size + padBefore + padAfter) is not a multiple of the block \(blockSize)")
            }
            let batchedAxis = Padding2D.resolveAxis(paddingScheme(scheme), input: (size + padBefore + padAfter) / blockSize,
                                                    filter: kernel, stride: 1, dilation: dilation)
            let outputSize = batchedAxis.output * blockSize - cropBefore - cropAfter
            let before = padBefore + batchedAxis.before * blockSize - cropBefore
            let effective = Padding2D.effectiveFilterSize(filter: kernel, dilation: dilation * blockSize)
            let after = outputSize - 1 + effective - size - before
            guard outputSize == outputShape[1 + axis], before >= 0, after >= 0, before <= 65_535, after <= 65_535 else {
                throw refuse("the chain is not a dilated convolution of the input (output \(outputSize), padding \(before)/\(after))")
            }
            padding += [before, after]
        }
        guard outputShape[0] == inputShape[0] else { throw refuse("batch \(outputShape[0]) differs from the input's \(inputShape[0])") }
        // SPACE_TO_BATCH_ND copies bytes: its output must be in the input's quantization.
        let batchedQuantization = try quantization(of: batched, shape: try shape(of: batched), type: graph.tensors[batched].type)
        guard batchedQuantization == tensor(input).quantization else {
            throw refuse("SPACE_TO_BATCH_ND changes the quantization")
        }
        let dilation = (dilationHeight * Int(block.values[0]), dilationWidth * Int(block.values[1]))
        guard dilation.0 <= 65_535, dilation.1 <= 65_535 else { throw refuse("dilation \(dilation) exceeds 65535") }

        // The unary operator, moved in front: exact because it is elementwise (it commutes with the
        // rearrangement) and maps the padding value (the input zero point, real 0) to its output zero point
        // (checked below), which is the convolution's input zero point, i.e. padding the convolution skips.
        var convolutionCurbInput = input
        if let unary {
            currentOperator = unary
            let unaryOp = graph.operators[unary]
            let declared = graph.tensors[unaryOp.outputs[0]]
            let moved = builder.addActivation(declared.name ?? "tensor_\(unaryOp.outputs[0])", .int8, shape: inputShape,
                                              quantization: try quantization(of: unaryOp.outputs[0], shape: try shape(of: unaryOp.outputs[0]),
                                                                             type: declared.type))
            let options = try unaryOptions(unaryOp, builtin(unary), input: input, output: moved)
            let outputZeroPoint = tensor(moved).zeroPoint
            switch options {
            case .relu(let relu), .relu6(let relu):
                guard (relu.activation.minimum...relu.activation.maximum).contains(outputZeroPoint) else {
                    throw refuse("\(builtin(unary)) does not map real 0 to real 0 here")
                }
            case .quantize:
                break  // requantizing 0 gives exactly the output zero point
            default:
                throw refuse("\(builtin(unary)) between SPACE_TO_BATCH_ND and the convolution")
            }
            emit(options, inputs: [input], outputs: [moved])
            convolutionCurbInput = moved
        }

        currentOperator = convolutionIndex
        let filter = try requiredInput(convolution, 1)
        let output = try curbTensor(batchToSpace.outputs[0])
        let convolutionOutputQuantization = try quantization(of: convolution.outputs[0], shape: try shape(of: convolution.outputs[0]),
                                                             type: graph.tensors[convolution.outputs[0]].type)
        guard convolutionOutputQuantization == tensor(output).quantization else {
            throw refuse("BATCH_TO_SPACE_ND changes the quantization")
        }
        let options = try convolutionOptions(
            convolution, depthwise: depthwise, input: convolutionCurbInput, filter: filter, output: output,
            outputTensor: batchToSpace.outputs[0], activation: try fusedActivation(fused), strides: (1, 1),
            dilations: (Int32(dilation.0), Int32(dilation.1)),
            padding: Padding2D(top: Int32(padding[0]), left: Int32(padding[2]), bottom: Int32(padding[1]), right: Int32(padding[3])))
        let bias = try bias(convolution)
        emit(options, inputs: [convolutionCurbInput, filter, bias], outputs: [output])
        folded.formUnion([unary, convolutionIndex, batchToSpaceIndex].compactMap { $0 })
        currentOperator = index
    }
}
