import CurbModel

/// DEQUANTIZE int8 → float32 as TFLite's `reference_integer_ops::Dequantize`:
/// `Float(Double(scale) · Double(x − zp))` (the product in double, rounded once to float).
public struct Dequantize: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Float>
    let count: Int
    let scale: Double
    let zeroPoint: Int32

    public init(input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.float32
        count = input.elementCount
        scale = Double(input.scale)
        zeroPoint = input.zeroPoint
    }

    public func run() {
        for index in 0..<count {
            output[index] = Float(scale * Double(Int32(input[index]) - zeroPoint))
        }
    }
}

extension DequantizeOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Dequantize(input: inputs[0]!, output: outputs[0])
    }
}
