import CurbModel

/// Shape arithmetic, folded at import: `.curb` shapes are static, so SHAPE, and STRIDED_SLICE and PACK over
/// integers known at import, become constants instead of operators. This is what converters emit for a
/// Keras 3 Flatten or Reshape with a dynamic batch: SHAPE → STRIDED_SLICE (the batch) → PACK (with the
/// other dimensions) → RESHAPE; the batch is taken as declared (1).
extension TFLiteGraphImporter {
    /// The most elements an integer operand (shape, paddings, axes, …) may have.
    static let maximumStaticElements = 1 << 16

    /// The integer contents of a tensor known at import: an int32/int64 constant or a folded result.
    func staticValue(_ tensor: Int) throws(TFLiteImportError) -> TFLiteStaticValue? {
        if let folded = foldedValues[tensor] { return folded }
        guard isConstant(tensor) else { return nil }
        let declared = graph.tensors[tensor]
        let width: Int
        switch declared.type {
        case .int32: width = 4
        case .int64: width = 8
        default: return nil
        }
        let dimensions = declared.shape.map(Int.init)
        guard dimensions.count <= TensorShape.maximumRank,
              let count = Self.elementCount(dimensions, limit: Self.maximumStaticElements) else {
            throw fail("integer operand of shape \(declared.shape) is too large", tensor: tensor,
                       supported: "up to \(Self.maximumStaticElements) elements, rank ≤ \(TensorShape.maximumRank)")
        }
        let range = source.buffers[declared.buffer].data
        guard range.count == count * width else {
            throw fail("buffer holds \(range.count) bytes for \(count) \(declared.type) values", tensor: tensor,
                       supported: "constant buffers of exactly the tensor's size")
        }
        var values: [Int64] = []
        values.reserveCapacity(count)
        for element in 0..<count {
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(bytes[range.lowerBound + element * width + byte]) << UInt64(8 * byte) }
            values.append(width == 4 ? Int64(Int32(truncatingIfNeeded: bits)) : Int64(bitPattern: bits))
        }
        return TFLiteStaticValue(shape: dimensions, values: values)
    }

    /// Input `position` of `op` as integers known at import, or an error saying what it is for.
    func requiredStatic(_ op: TFLiteOperator, _ position: Int, _ role: String) throws(TFLiteImportError) -> TFLiteStaticValue {
        guard position < op.inputs.count, op.inputs[position] >= 0 else {
            throw fail("the \(role) input (\(position)) is missing", supported: "a constant \(role)")
        }
        guard let value = try staticValue(op.inputs[position]) else {
            throw fail("the \(role) (input \(position)) is computed at run time", tensor: op.inputs[position],
                       supported: "a constant \(role), or one computed from static shapes (SHAPE, STRIDED_SLICE, PACK)")
        }
        return value
    }

    /// Like ``requiredStatic(_:_:_:)`` as Int32 values.
    func requiredInt32(_ op: TFLiteOperator, _ position: Int, _ role: String) throws(TFLiteImportError) -> (shape: [Int], values: [Int32]) {
        let value = try requiredStatic(op, position, role)
        guard let values = value.int32Values else {
            throw fail("the \(role) does not fit in 32 bits", tensor: op.inputs[position], supported: "32-bit values")
        }
        return (value.shape, values)
    }

    /// Folds SHAPE, and STRIDED_SLICE or PACK whose inputs are known at import. Returns false when the
    /// operator is not shape arithmetic (it is then imported as an operator).
    mutating func foldShapeArithmetic(_ op: TFLiteOperator, _ builtin: TFLiteBuiltinOperator) throws(TFLiteImportError) -> Bool {
        guard let output = op.outputs.first, op.outputs.count == 1 else { return false }
        switch builtin {
        case .shape:
            guard op.inputs.count == 1, op.inputs[0] >= 0 else { throw fail("needs one input", supported: "SHAPE(x)") }
            let dimensions = try shape(of: op.inputs[0])
            foldedValues[output] = TFLiteStaticValue(shape: [dimensions.count], values: dimensions.map(Int64.init))
            return true

        case .stridedSlice:
            guard op.inputs.count == 4, op.inputs[0] >= 0, let input = try staticValue(op.inputs[0]) else { return false }
            guard case .stridedSlice(let options) = op.builtinOptions else {
                throw fail("missing StridedSliceOptions", supported: "STRIDED_SLICE with its options")
            }
            let begin = try requiredInt32(op, 1, "begin"), end = try requiredInt32(op, 2, "end")
            let strides = try requiredInt32(op, 3, "strides")
            guard input.shape.count <= TensorShape.maximumRank else {
                throw fail("rank \(input.shape.count)", tensor: op.inputs[0], supported: "ranks up to \(TensorShape.maximumRank)")
            }
            let resolved: (options: StridedSliceOptions, outputShape: [Int])
            do throws(ModelError) {
                resolved = try StridedSliceOptions.resolve(
                    shape: TensorShape(input.shape), begin: begin.values, end: end.values, strides: strides.values,
                    beginMask: options.beginMask, endMask: options.endMask, shrinkAxisMask: options.shrinkAxisMask,
                    ellipsisMask: options.ellipsisMask, newAxisMask: options.newAxisMask, offset: options.offset)
            } catch { throw fail(error) }
            let slice = resolved.options
            let counts = (0..<input.shape.count).map {
                StridedSliceOptions.count(begin: slice.begin[$0], end: slice.end[$0], stride: slice.strides[$0])
            }
            foldedValues[output] = input.slice(begin: slice.begin, strides: slice.strides, counts: counts,
                                               outputShape: resolved.outputShape)
            return true

        case .pack:
            // Shape packing has a handful of inputs; the cap keeps a hostile PACK from decoding one large
            // constant thousands of times.
            guard op.inputs.count <= ModelValidator.maximumOperatorInputs else { return false }
            var values: [TFLiteStaticValue] = []
            for tensor in op.inputs {
                guard tensor >= 0, let value = try staticValue(tensor) else { return false }
                values.append(value)
            }
            guard case .pack(let count, let axis) = op.builtinOptions, Int(count) == values.count, !values.isEmpty else {
                throw fail("PackOptions disagree with the \(values.count) inputs", supported: "PACK with values_count = its input count")
            }
            guard values.count * values[0].values.count <= Self.maximumStaticElements else {
                throw fail("packing \(values.count) values of shape \(values[0].shape) is too large",
                           supported: "up to \(Self.maximumStaticElements) elements")
            }
            let rank = values[0].shape.count
            let resolvedAxis = axis < 0 ? Int(axis) + rank + 1 : Int(axis)
            guard let packed = TFLiteStaticValue.pack(values, axis: resolvedAxis),
                  packed.values.count <= Self.maximumStaticElements else {
                throw fail("cannot pack inputs of shapes \(values.map(\.shape)) on axis \(axis)",
                           supported: "equally shaped inputs and an axis in -(rank+1)...rank")
            }
            foldedValues[output] = packed
            return true

        default:
            return false
        }
    }
}
