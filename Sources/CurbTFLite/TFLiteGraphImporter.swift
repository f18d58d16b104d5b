import CurbModel

/// The state of one import: the TFLite graph being read, the `.curb` model being built, and which TFLite
/// tensor became which `.curb` tensor. Operators are mapped in `TFLiteGraphImporter+Operators.swift`,
/// shape arithmetic is folded in `TFLiteGraphImporter+StaticValues.swift`, dilated convolutions in
/// `TFLiteGraphImporter+DilatedConvolution.swift`.
struct TFLiteGraphImporter {
    let source: TFLiteModel
    /// The whole `.tflite` file (buffers are ranges of it).
    let bytes: UnsafeRawBufferPointer
    var builder = ModelBuilder()
    /// TFLite tensor → `.curb` tensor, created on first use.
    var curbIndices: [Int: Int32] = [:]
    /// Integer tensors computed at import (folded shape arithmetic).
    var foldedValues: [Int: TFLiteStaticValue] = [:]
    /// `.curb` operator → TFLite operator.
    var sourceOperators: [Int] = []
    /// TFLite tensor → the operators that read it.
    var consumers: [Int: [Int]] = [:]
    /// TFLite operators already handled as part of a fold.
    var folded: Set<Int> = []
    /// The TFLite operator being imported, for error locations.
    var currentOperator: Int?

    /// Scales outside this range are refused: real models use 1e-6…1e2, and staying far inside Float's range
    /// keeps every ratio TFLite's Prepare forms (some in float) finite.
    static let scaleRange: ClosedRange<Float> = 0x1p-40...0x1p40

    var graph: TFLiteSubGraph { source.subgraph }

    init(source: TFLiteModel, bytes: UnsafeRawBufferPointer) {
        self.source = source
        self.bytes = bytes
        for (index, op) in source.subgraph.operators.enumerated() {
            for tensor in op.inputs where tensor >= 0 { consumers[tensor, default: []].append(index) }
        }
    }

    // MARK: - Errors

    /// The builtin name of operator `index` (the custom code for custom operators).
    func operatorName(_ index: Int) -> String {
        let code = source.operatorCodes[graph.operators[index].opcodeIndex]
        if code.builtinCode == .custom { return "CUSTOM '\(code.customCode ?? "")'" }
        return code.builtinCode.description
    }

    /// An error located at the current operator.
    func fail(_ what: String, tensor: Int? = nil, supported: String? = nil) -> TFLiteImportError {
        TFLiteImportError(what, operatorIndex: currentOperator, operatorName: currentOperator.map(operatorName),
                          tensorIndex: tensor, supported: supported)
    }

    /// A factory's refusal, located at the current operator.
    func fail(_ error: ModelError) -> TFLiteImportError {
        TFLiteImportError(error.message + (error.field.map { " (field \($0))" } ?? ""), operatorIndex: currentOperator,
                          operatorName: currentOperator.map(operatorName), modelError: error)
    }

    // MARK: - Tensors

    /// Whether the tensor's data are in the file (a constant).
    func isConstant(_ tensor: Int) -> Bool {
        let buffer = graph.tensors[tensor].buffer
        return buffer > 0 && buffer < source.buffers.count && !source.buffers[buffer].data.isEmpty
    }

    /// The static shape: the declared shape, with a dynamic batch (signature −1 on axis 0) taken as declared.
    func shape(of tensor: Int) throws(TFLiteImportError) -> [Int] {
        let declared = graph.tensors[tensor]
        if let signature = declared.shapeSignature {
            guard signature.count == declared.shape.count else {
                throw fail("tensor has an unknown rank (signature \(signature), shape \(declared.shape))", tensor: tensor,
                           supported: "static shapes")
            }
            for (axis, dimension) in signature.enumerated() where dimension < 0 && axis > 0 {
                throw fail("dimension \(axis) is dynamic (shape signature \(signature))", tensor: tensor,
                           supported: "static shapes; only the batch dimension may be dynamic (it is taken as declared, \(declared.shape.first ?? 1))")
            }
        }
        guard declared.shape.count <= TensorShape.maximumRank else {
            throw fail("rank \(declared.shape.count)", tensor: tensor, supported: "ranks up to \(TensorShape.maximumRank)")
        }
        guard declared.shape.allSatisfy({ $0 >= 1 }) else {
            throw fail("shape \(declared.shape) has an empty dimension", tensor: tensor, supported: "dimensions ≥ 1")
        }
        return declared.shape.map(Int.init)
    }

    /// The product of `dimensions`, or nil when it exceeds `limit`.
    static func elementCount(_ dimensions: [Int], limit: Int) -> Int? {
        var count = 1
        for dimension in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limit else { return nil }
            count = product
        }
        return count
    }

    /// The tensor's quantization in `.curb` terms (nil when it has no scales).
    func quantization(of tensor: Int, shape: [Int], type: TFLiteTensorType) throws(TFLiteImportError) -> Quantization? {
        guard let source = graph.tensors[tensor].quantization, !source.scale.isEmpty else { return nil }
        guard !source.hasCustomDetails else {
            throw fail("custom quantization", tensor: tensor, supported: "affine scale and zero point")
        }
        for scale in source.scale where !(scale.isFinite && Self.scaleRange.contains(scale)) {
            throw fail("scale \(scale)", tensor: tensor, supported: "finite scales in 2^-40...2^40")
        }
        let zeroPoints = source.zeroPoint.isEmpty ? [0] : source.zeroPoint
        guard zeroPoints.count == 1 || zeroPoints.count == source.scale.count else {
            throw fail("\(zeroPoints.count) zero points for \(source.scale.count) scales", tensor: tensor,
                       supported: "one zero point per scale")
        }
        guard zeroPoints.allSatisfy({ $0 == zeroPoints[0] }) else {
            throw fail("per-channel zero points differ", tensor: tensor, supported: "one zero point shared by every channel (0 for weights)")
        }
        guard let zeroPoint = Int32(exactly: zeroPoints[0]), (-128...127).contains(zeroPoint) || type != .int8 else {
            throw fail("zero point \(zeroPoints[0]) is not an int8 value", tensor: tensor, supported: "zero points in -128...127")
        }
        if source.scale.count == 1 { return Quantization(scale: source.scale[0], zeroPoint: zeroPoint) }
        let axis = Int(source.quantizedDimension)
        guard axis >= 0, axis < shape.count, shape[axis] == source.scale.count else {
            throw fail("\(source.scale.count) scales along axis \(axis) of shape \(shape)", tensor: tensor,
                       supported: "one scale per element of the quantized dimension")
        }
        return Quantization(scales: source.scale, zeroPoint: zeroPoint, axis: Int32(axis))
    }

    /// The `.curb` tensor for TFLite tensor `tensor`, created (with its constant data) on first use.
    mutating func curbTensor(_ tensor: Int) throws(TFLiteImportError) -> Int32 {
        if let existing = curbIndices[tensor] { return existing }
        guard foldedValues[tensor] == nil else {
            throw fail("a shape computed at import time is used as data", tensor: tensor,
                       supported: "SHAPE, STRIDED_SLICE and PACK results only as shape, size or axis operands")
        }
        let declared = graph.tensors[tensor]
        guard !declared.isSparse else { throw fail("sparse tensor", tensor: tensor, supported: "dense tensors") }
        guard !declared.isVariable else { throw fail("variable tensor", tensor: tensor, supported: "stateless graphs") }
        let type: ElementType
        switch declared.type {
        case .int8: type = .int8
        case .int32: type = .int32
        case .float32: type = .float32
        default:
            throw fail("\(declared.type) tensor", tensor: tensor,
                       supported: "int8 activations and weights, int32 biases, float32 only at the graph's inputs and outputs (QUANTIZE/DEQUANTIZE)")
        }
        let dimensions = try shape(of: tensor)
        guard let elements = Self.elementCount(dimensions, limit: ModelValidator.maximumTensorBytes / type.byteWidth) else {
            throw fail("shape \(dimensions) exceeds \(ModelValidator.maximumTensorBytes) bytes", tensor: tensor,
                       supported: "tensors up to \(ModelValidator.maximumTensorBytes) bytes")
        }
        let quantization = try quantization(of: tensor, shape: dimensions, type: declared.type)
        if type == .int8, quantization == nil {
            throw fail("int8 tensor without quantization", tensor: tensor, supported: "quantized int8 tensors")
        }
        let name = declared.name ?? "tensor_\(tensor)"
        let index: Int32
        if isConstant(tensor) {
            let range = source.buffers[declared.buffer].data
            guard range.count == elements * type.byteWidth else {
                throw fail("buffer holds \(range.count) bytes, shape \(dimensions) of \(declared.type) needs \(elements * type.byteWidth)",
                           tensor: tensor, supported: "constant buffers of exactly the tensor's size")
            }
            index = builder.addConstant(name, type, shape: dimensions, quantization: quantization,
                                        bytes: Array(bytes[range]))
        } else {
            index = builder.addActivation(name, type, shape: dimensions, quantization: quantization)
        }
        curbIndices[tensor] = index
        return index
    }

    /// The `.curb` tensor for an input position of the current operator (nil for an absent optional input).
    mutating func input(_ op: TFLiteOperator, _ position: Int) throws(TFLiteImportError) -> Int32? {
        guard position < op.inputs.count, op.inputs[position] >= 0 else { return nil }
        return try curbTensor(op.inputs[position])
    }

    /// Like ``input(_:_:)`` but the input must be present.
    mutating func requiredInput(_ op: TFLiteOperator, _ position: Int) throws(TFLiteImportError) -> Int32 {
        guard let index = try input(op, position) else {
            throw fail("input \(position) is missing", supported: "the operator's required inputs")
        }
        return index
    }

    /// The `.curb` tensor of TFLite tensor `index` after ``curbTensor(_:)``.
    func tensor(_ index: Int32) -> Tensor { builder.tensors[Int(index)] }

    /// The activation quantization (one scale) of a `.curb` tensor, or an error naming the TFLite tensor.
    func scaleAndZeroPoint(_ index: Int32, tflite tensor: Int) throws(TFLiteImportError) -> (scale: Float, zeroPoint: Int32) {
        guard let quantization = self.tensor(index).quantization, !quantization.isPerChannel else {
            throw fail("needs one scale and zero point", tensor: tensor, supported: "per-tensor quantized int8 activations")
        }
        return (quantization.scale, quantization.zeroPoint)
    }

    /// Appends an operator, remembering which TFLite operator it came from.
    mutating func emit(_ options: OperatorOptions, inputs: [Int32], outputs: [Int32]) {
        builder.addOperator(options, inputs: inputs, outputs: outputs)
        sourceOperators.append(currentOperator ?? -1)
    }
}
