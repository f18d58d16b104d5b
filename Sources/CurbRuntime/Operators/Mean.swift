import CurbModel

/// The reference int8 mean: LiteRT's `kReference` MEAN for int8, `reference_ops::QuantizedMeanOrSum` with
/// `compute_sum = false` (the same arithmetic as TFLM's MEAN).
///
/// Prepare folds `1 / N` (N = elements reduced into each output) into TFLite Prepare's multiplier
/// `(q, s) = QuantizeMultiplier(s_in / s_out)` with integer arithmetic only:
/// `k = min(floor(log2 N), 32, 31 + s)`, `q' = (q << k) / N` (truncating), `s' = s − k`.
/// Each output is then `clamp(MBQM(Σ x − zp_in · N, q', s') + zp_out, −128, 127)`; MEAN has no fused
/// activation. The int32 sum wraps like the C++'s `int32` accumulator; the zero-point correction is taken in
/// 64 bits and truncated to int32, as the C++ does.
///
/// Older TensorFlow releases (before `QuantizedMeanOrSum` took integer parameters) ran a different formula
/// for 4-D keep-dims means over H and W (`reference_integer_ops::Mean`: requantize the sum, then divide by N
/// rounding half away from zero); that path is not reproduced here.
public struct Mean: OperatorKernel {
    let input: UnsafePointer<Int8>
    let output: UnsafeMutablePointer<Int8>
    let outputCount: Int
    /// Extents and input strides of the kept and the reduced dimensions, adjacent ones merged, 1s dropped.
    let keptExtents: [Int], keptStrides: [Int]
    let reducedExtents: [Int], reducedStrides: [Int]
    /// Elements reduced into each output.
    let reducedCount: Int
    let zeroPointTimesCount: Int64
    let outputZeroPoint: Int32
    /// The multiplier with `1 / N` folded in.
    let requantization: Requantization

    /// Prepares the mean over validated views (see ``MeanOptions/validate(_:)``).
    public init(options: MeanOptions, input: TensorView, output: TensorView) {
        self.input = UnsafePointer(input.int8)
        self.output = output.int8
        outputCount = output.elementCount

        var kept: [(extent: Int, stride: Int)] = []
        var reduced: [(extent: Int, stride: Int)] = []
        var stride = 1
        var count = 1
        var previousWasReduced: Bool?
        // Walk from the innermost dimension out, merging a dimension into the previous group of its kind when
        // the two are adjacent (row-major, so the outer one's stride is the inner group's extent × stride).
        for dimension in (0..<input.shape.rank).reversed() {
            let extent = input.shape[dimension]
            let isReduced = options.axes.contains(Int32(dimension))
            if isReduced { count *= extent }
            if extent > 1 {
                if previousWasReduced == isReduced {
                    if isReduced { reduced[reduced.count - 1].extent *= extent } else { kept[kept.count - 1].extent *= extent }
                } else if isReduced {
                    reduced.append((extent, stride))
                } else {
                    kept.append((extent, stride))
                }
                previousWasReduced = isReduced
            }
            stride *= extent
        }
        keptExtents = kept.reversed().map(\.extent)
        keptStrides = kept.reversed().map(\.stride)
        reducedExtents = reduced.reversed().map(\.extent)
        reducedStrides = reduced.reversed().map(\.stride)
        reducedCount = count
        zeroPointTimesCount = Int64(input.zeroPoint) * Int64(count)
        outputZeroPoint = output.zeroPoint
        requantization = Self.foldCount(count, into: options.requantization)
    }

    /// TFLite's `QuantizedMeanOrSum` rescaling by `1 / count` (integer only).
    public static func foldCount(_ count: Int, into base: Requantization) -> Requantization {
        precondition(count >= 1)
        let log2Count = Int32(63 - UInt64(count).leadingZeroBitCount)
        let shift = min(log2Count, 32, 31 + base.shift)
        let multiplier = (Int64(base.multiplier) << Int64(shift)) / Int64(count)
        return Requantization(multiplier: Int32(truncatingIfNeeded: multiplier), shift: base.shift - shift)
    }

    public func run() {
        let reducedGroups = reducedExtents.count
        for outputIndex in 0..<outputCount {
            var remainder = outputIndex
            var base = 0
            // Index loops count down by hand: `reversed()` allocates per step in unoptimised builds.
            var group = keptExtents.count - 1
            while group >= 0 {
                base += (remainder % keptExtents[group]) * keptStrides[group]
                remainder /= keptExtents[group]
                group -= 1
            }
            var sum: Int32 = 0
            if reducedGroups == 0 {
                sum = Int32(input[base])
            } else if reducedGroups == 1 {
                let step = reducedStrides[0]
                for index in 0..<reducedExtents[0] { sum &+= Int32(input[base + index * step]) }
            } else {
                for flat in 0..<reducedCount {
                    var rest = flat
                    var offset = base
                    var group = reducedGroups - 1
                    while group >= 0 {
                        offset += (rest % reducedExtents[group]) * reducedStrides[group]
                        rest /= reducedExtents[group]
                        group -= 1
                    }
                    sum &+= Int32(input[offset])
                }
            }
            let shifted = Int32(truncatingIfNeeded: Int64(sum) - zeroPointTimesCount)
            let result = FixedPoint.multiplyByQuantizedMultiplier(shifted, requantization) &+ outputZeroPoint
            output[outputIndex] = Int8(truncatingIfNeeded: min(max(result, -128), 127))
        }
    }
}

extension MeanOptions: KernelMaking {
    public func makeKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView]) -> any OperatorKernel {
        Mean(options: self, input: inputs[0]!, output: outputs[0])
    }
}
