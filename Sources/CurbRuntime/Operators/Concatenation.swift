import CurbModel

/// CONCATENATION: for each index before the axis, the inputs' slices are copied one after the other
/// (TFLite `reference_ops::Concatenation`; int8 inputs share the output's quantization, so no rescaling).
public struct Concatenation: OperatorKernel {
    let inputs: [UnsafeRawPointer]
    /// Bytes each input contributes per outer index (its axis extent × the inner size × element width).
    let sliceBytes: [Int]
    let output: UnsafeMutableRawPointer
    /// The product of the dimensions before the axis.
    let outerCount: Int

    public init(options: ConcatenationOptions, inputs: [TensorView], output: TensorView) {
        let axis = Int(options.axis)
        var inner = output.type.byteWidth
        for dimension in (axis + 1)..<max(output.shape.rank, axis + 1) { inner *= output.shape[dimension] }
        var outer = 1
        for dimension in 0..<axis { outer *= output.shape[dimension] }
        self.inputs = inputs.map { UnsafeRawPointer($0.data) }
        sliceBytes = inputs.map { $0.shape[axis] * inner }
        self.output = output.data
        outerCount = outer
    }

    public func run() {
        var destination = output
        for outer in 0..<outerCount {
            for position in 0..<inputs.count {
                let bytes = sliceBytes[position]
                destination.copyMemory(from: inputs[position] + outer * bytes, byteCount: bytes)
                destination += bytes
            }
        }
    }
}

extension ConcatenationOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Concatenation(options: self, inputs: inputs.map { $0! }, output: outputs[0])
    }
}
