import CurbModel

/// int8 HARD_SWISH: TFLite's `reference_ops::HardSwish` (int16 fixed point), which its optimized kernel
/// and TFLM match.
///
/// Per element: `v = (x − zp_in)·2^7`; `vo = SRDHM16(v, output multiplier)`; the "relu-ish" factor is `v`
/// rescaled to [−1, 1] with saturation, mapped to [0, 1]; `y = RDBPOT(SDHM16(relu-ish, vo), −out_exp) + zp_out`,
/// clamped to int8 (`SDHM16` truncates: TFLite uses the non-rounding multiply there on purpose).
public struct HardSwish: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let count: Int
    let inputZeroPoint: Int32
    let outputZeroPoint: Int32
    let outputMultiplier: Int16
    let outputExponent: Int
    let reluishMultiplier: Int16
    let reluishExponent: Int

    public init(options: HardSwishOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        count = input.elementCount
        inputZeroPoint = input.zeroPoint
        outputZeroPoint = output.zeroPoint
        outputMultiplier = options.outputMultiplier
        outputExponent = Int(options.outputExponent)
        reluishMultiplier = options.reluishMultiplier
        reluishExponent = Int(options.reluishExponent)
    }

    @inline(__always)
    func hardSwish(_ x: Int8) -> Int8 {
        typealias F = GemmlowpFixedPoint
        let inputValue = Int16(truncatingIfNeeded: Int32(x) - inputZeroPoint)
        let hiresInput = Int16(truncatingIfNeeded: Int32(inputValue) * (1 << 7))
        let preshiftOutput = F.saturatingRoundingDoublingHighMultiply(hiresInput, outputMultiplier)
        var reluish = hiresInput
        if reluishExponent > 0 { reluish = F.saturatingLeftShift(reluish, reluishExponent - 1) }
        reluish = F.saturatingRoundingDoublingHighMultiply(reluish, reluishMultiplier)
        if reluishExponent > 0 { reluish = F.saturatingLeftShift(reluish, 1) }
        if reluishExponent < 0 { reluish = F.roundingDivideByPowerOfTwo(reluish, -reluishExponent) }
        // [−1, 1] → [0, 1], in int arithmetic as in C++.
        reluish = Int16(truncatingIfNeeded: (Int32(reluish) + (1 << 15)) >> 1)
        let preshiftValue = F.saturatingDoublingHighMultiply(reluish, preshiftOutput)
        var value = F.roundingDivideByPowerOfTwo(preshiftValue, -outputExponent)
        value = Int16(truncatingIfNeeded: Int32(value) + outputZeroPoint)
        return Int8(clamping: value)
    }

    public func run() {
        for index in 0..<count { output[index] = hardSwish(input[index]) }
    }
}

extension HardSwishOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        HardSwish(options: self, input: inputs[0]!, output: outputs[0])
    }
}
