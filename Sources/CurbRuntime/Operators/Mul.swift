import CurbModel

/// int8 MUL with numpy broadcasting: TFLite's `reference_integer_ops::MulElementwise` /
/// `BroadcastMul6DSlow`: `clamp(zp_out + MBQM((x1 − zp1)·(x2 − zp2), M))` (double rounding).
public struct Mul: OperatorKernel {
    let input1: UnsafePointer<Int8>
    let input2: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let broadcast: ElementwiseBroadcast
    let input1Offset: Int32
    let input2Offset: Int32
    let outputOffset: Int32
    let requantization: Requantization
    let minimum: Int32
    let maximum: Int32

    public init(options: MulOptions, input1: TensorView, input2: TensorView, output: TensorView) {
        self.input1 = UnsafePointer(input1.int8)
        self.input2 = UnsafePointer(input2.int8)
        self.output = output.int8
        broadcast = ElementwiseBroadcast(input1.shape, input2.shape, output: output.shape)
        input1Offset = -input1.zeroPoint
        input2Offset = -input2.zeroPoint
        outputOffset = output.zeroPoint
        requantization = options.output
        minimum = options.activation.minimum
        maximum = options.activation.maximum
    }

    public func run() {
        broadcast.forEach { outputIndex, index1, index2 in
            // |product| ≤ 255·255: no int32 overflow.
            let product = (input1Offset + Int32(input1[index1])) * (input2Offset + Int32(input2[index2]))
            let result = outputOffset &+ FixedPoint.multiplyByQuantizedMultiplier(product, requantization)
            output[outputIndex] = Int8(min(maximum, max(minimum, result)))
        }
    }
}

extension MulOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Mul(options: self, input1: inputs[0]!, input2: inputs[1]!, output: outputs[0])
    }
}
