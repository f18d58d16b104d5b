import CurbModel

/// QUANTIZE to int8 (TFLite `quantize.cc`, BUILTIN_REF):
/// - from float32, `reference_ops::AffineQuantize`: `roundf(x / s_out)` in **float** (ties away from
///   zero), then `+ zp_out` and the clamp in double. A NaN input gives 0, as LiteRT's x86 and ARM
///   builds do (the C++ cast is undefined there);
/// - from int8, `reference_ops::Requantize`: `clamp(zp_out + MBQM(x − zp_in, s_in / s_out))`.
public struct Quantize: OperatorKernel {
    let input: UnsafeMutableRawPointer
    let output: UnsafeMutablePointer<Int8>
    let count: Int
    let fromFloat: Bool
    let outputScale: Float
    let outputZeroPoint: Int32
    let inputZeroPoint: Int32
    let requantization: Requantization

    public init(options: QuantizeOptions, input: TensorView, output: TensorView) {
        self.input = input.data
        self.output = output.int8
        count = output.elementCount
        fromFloat = input.type == .float32
        outputScale = output.scale
        outputZeroPoint = output.zeroPoint
        inputZeroPoint = input.zeroPoint
        requantization = options.requantization
    }

    /// `AffineQuantize` for one value.
    @inline(__always)
    static func quantize(_ value: Float, scale: Float, zeroPoint: Int32) -> Int8 {
        let rounded = (value / scale).rounded(.toNearestOrAwayFromZero)
        let unclamped = Double(rounded) + Double(zeroPoint)
        if unclamped.isNaN { return 0 }
        return Int8(min(max(unclamped, -128), 127))
    }

    public func run() {
        if fromFloat {
            let source = input.assumingMemoryBound(to: Float.self)
            for index in 0..<count { output[index] = Self.quantize(source[index], scale: outputScale, zeroPoint: outputZeroPoint) }
        } else {
            let source = input.assumingMemoryBound(to: Int8.self)
            for index in 0..<count {
                let value = FixedPoint.multiplyByQuantizedMultiplier(Int32(source[index]) - inputZeroPoint, requantization)
                    &+ outputZeroPoint
                output[index] = Int8(clamping: value)
            }
        }
    }
}

extension QuantizeOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Quantize(options: self, input: inputs[0]!, output: outputs[0])
    }
}
