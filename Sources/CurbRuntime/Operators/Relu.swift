import CurbModel

/// int8 RELU and RELU6 as standalone operators: TFLite's `ReluX` with requantization,
/// `clamp(zp_out + MBQM(x − zp_in, s_in / s_out))` to the stored range (0…127 or 0…6 in real terms).
public struct Relu: OperatorKernel {
    /// Which operator this is; both run the same arithmetic, the clamp comes from the options.
    public enum Kind: Sendable { case relu, relu6 }

    public let kind: Kind
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let count: Int
    let inputZeroPoint: Int32
    let outputZeroPoint: Int32
    let requantization: Requantization
    let minimum: Int32
    let maximum: Int32

    public init(kind: Kind, options: ReluOptions, input: TensorView, output: TensorView) {
        self.kind = kind
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        count = input.elementCount
        inputZeroPoint = input.zeroPoint
        outputZeroPoint = output.zeroPoint
        requantization = options.requantization
        minimum = options.activation.minimum
        maximum = options.activation.maximum
    }

    public func run() {
        for index in 0..<count {
            let value = outputZeroPoint &+ FixedPoint.multiplyByQuantizedMultiplier(Int32(input[index]) - inputZeroPoint,
                                                                                     requantization)
            output[index] = Int8(min(maximum, max(minimum, value)))
        }
    }
}

extension ReluOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Relu(kind: kind == .relu6 ? .relu6 : .relu, options: self, input: inputs[0]!, output: outputs[0])
    }
}
