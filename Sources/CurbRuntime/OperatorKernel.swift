import CurbModel

/// A prepared operator: everything derived at load (pointers, shapes, zero points, multipliers), so
/// that `run` is plain loops that cannot fail and allocate nothing.
public protocol OperatorKernel {
    /// Computes the outputs from the inputs.
    func run()
}

/// Options that know how to prepare their operator's kernel. Each kernel file conforms its options
/// type, so the interpreter needs no list of operators.
public protocol KernelMaking {
    /// Prepares the kernel over the given views. The model has been validated, so shapes, types and
    /// quantization satisfy the operator's rules. `kind` tells apart operators that share options
    /// (average/max pool, ReLU/ReLU6).
    func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel
}
