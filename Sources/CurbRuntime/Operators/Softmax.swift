import CurbModel

/// int8 SOFTMAX over the last axis: TFLite's `Register_SOFTMAX_REF` (`reference_ops::Softmax`, fixed
/// point with gemmlowp's `exp_on_negative_values` and `one_over_one_plus_x_for_x_in_0_1`), not the float
/// table of TFLite's default optimized kernel.
///
/// Where TFLite aborts (`TFLITE_CHECK(exponent <= 31)`, reached when the exponentials of a row add up
/// to 512 or more, i.e. at least 512 near-equal logits), this kernel keeps going with a 64-bit rounding
/// shift instead, so `run` cannot fail; such rows have every output at −128 or −127.
public struct Softmax: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let rows: Int
    let depth: Int
    let inputMultiplier: Requantization
    let diffMinimum: Int32

    static let accumulationIntegerBits = 12

    public init(options: SoftmaxOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        depth = input.shape[input.shape.rank - 1]
        rows = input.elementCount / max(depth, 1)
        inputMultiplier = Requantization(multiplier: options.inputMultiplier, shift: options.inputLeftShift)
        diffMinimum = options.diffMinimum
    }

    /// `exp(β·s_in·diff)` in Q0.31 for a non-positive difference of raw inputs.
    @inline(__always)
    func exponential(_ difference: Int32) -> Int32 {
        let rescaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(difference, inputMultiplier)  // Q5.26
        return GemmlowpFixedPoint.expOnNegativeValues(rescaled, integerBits: SoftmaxOptions.scaledDifferenceIntegerBits)
    }

    public func run() {
        for row in 0..<rows {
            let base = row * depth
            var maximum = Int32(Int8.min)
            for column in 0..<depth { maximum = max(maximum, Int32(input[base + column])) }

            var sumOfExponentials: Int32 = 0  // Q12.19
            for column in 0..<depth {
                let difference = Int32(input[base + column]) - maximum
                if difference >= diffMinimum {
                    sumOfExponentials = sumOfExponentials &+ GemmlowpFixedPoint.rescale(
                        exponential(difference), from: 0, to: Self.accumulationIntegerBits)
                }
            }
            let (scale, bitsOverUnit) = GemmlowpFixedPoint.reciprocal(sumOfExponentials, integerBits: Self.accumulationIntegerBits)
            let exponent = bitsOverUnit + 31 - 8

            for column in 0..<depth {
                let difference = Int32(input[base + column]) - maximum
                guard difference >= diffMinimum else {
                    output[base + column] = .min
                    continue
                }
                let probability = FixedPoint.saturatingRoundingDoublingHighMultiply(scale, exponential(difference))
                let unsaturated = Self.roundingShift(probability, exponent)
                output[base + column] = Int8(clamping: unsaturated &+ Int32(Int8.min))
            }
        }
    }

    /// `RoundingDivideByPOT`, extended past 31 bits (where TFLite would abort) with the same rounding.
    @inline(__always)
    static func roundingShift(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent <= 31 { return FixedPoint.roundingDivideByPowerOfTwo(x, Int32(max(exponent, 0))) }
        let wide = Int64(x)
        let mask = (Int64(1) << Int64(exponent)) - 1
        let threshold = (mask >> 1) + (wide < 0 ? 1 : 0)
        return Int32((wide >> Int64(exponent)) + ((wide & mask) > threshold ? 1 : 0))
    }
}

extension SoftmaxOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Softmax(options: self, input: inputs[0]!, output: outputs[0])
    }
}
