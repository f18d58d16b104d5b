import CurbModel

/// RESHAPE: the bytes are unchanged, so this copies them (nothing when the plan put the output on the
/// input's bytes).
public struct Reshape: OperatorKernel {
    let input: UnsafeRawPointer
    let output: UnsafeMutableRawPointer
    let byteCount: Int

    public init(input: TensorView, output: TensorView) {
        self.input = UnsafeRawPointer(input.data)
        self.output = output.data
        byteCount = output.byteCount
    }

    public func run() {
        if UnsafeRawPointer(output) != input {
            output.copyMemory(from: input, byteCount: byteCount)  // memmove: overlap is allowed
        }
    }
}

extension ReshapeOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Reshape(input: inputs[0]!, output: outputs[0])
    }
}
