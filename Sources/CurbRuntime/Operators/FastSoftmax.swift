import CurbModel

/// The fast int8 softmax: ``Softmax``'s arithmetic with its exponentials looked up. A row's differences
/// `x − max` are the 256 values −255…0, and `exp` of a difference depends on nothing else, so prepare
/// tabulates both forms the rows use — the exponential in Q0.31 and its Q12.19 share of the sum — in the
/// arena's scratch, and `run` only sums, takes one reciprocal per row and rescales. Identical bits.
public struct FastSoftmax: OperatorKernel {
    let reference: Softmax
    /// Indexed by `max − x` (0…255): the exponential (Q0.31), and the same rescaled to Q12.19 for the sum.
    let exponentials: UnsafeMutablePointer<Int32>
    let sumTerms: UnsafeMutablePointer<Int32>

    static let tableEntries = 256
    static var scratchBytes: Int { 2 * KernelContext.rounded(tableEntries * MemoryLayout<Int32>.size) }

    init(options: SoftmaxOptions, input: TensorView, output: TensorView, context: KernelContext) {
        reference = Softmax(options: options, input: input, output: output)
        func table() -> UnsafeMutablePointer<Int32> {
            context.take(Self.tableEntries * MemoryLayout<Int32>.size).bindMemory(to: Int32.self, capacity: Self.tableEntries)
        }
        exponentials = table()
        sumTerms = table()
        for distance in 0..<Self.tableEntries {
            let difference = -Int32(distance)
            // Differences below diffMinimum are skipped by the rows; their entries are never read.
            let exponential = difference >= reference.diffMinimum ? reference.exponential(difference) : 0
            exponentials[distance] = exponential
            sumTerms[distance] = GemmlowpFixedPoint.rescale(exponential, from: 0, to: Softmax.accumulationIntegerBits)
        }
    }

    public func run() {
        let input = reference.input, output = reference.output, depth = reference.depth
        // A distance above −diffMinimum is a difference below diffMinimum (none qualifies when diffMinimum > 0).
        let largestDistance = -Int(reference.diffMinimum)
        for row in 0..<reference.rows {
            let base = row * depth
            var maximum = Int32(Int8.min)
            for column in 0..<depth { maximum = max(maximum, Int32(input[base + column])) }
            var sumOfExponentials: Int32 = 0  // Q12.19, wrapping as Softmax's
            for column in 0..<depth {
                let distance = Int(maximum - Int32(input[base + column]))
                if distance <= largestDistance { sumOfExponentials &+= sumTerms[distance] }
            }
            let (scale, bitsOverUnit) = GemmlowpFixedPoint.reciprocal(sumOfExponentials,
                                                                     integerBits: Softmax.accumulationIntegerBits)
            let exponent = bitsOverUnit + 31 - 8
            for column in 0..<depth {
                let distance = Int(maximum - Int32(input[base + column]))
                guard distance <= largestDistance else {
                    output[base + column] = .min
                    continue
                }
                let probability = FixedPoint.saturatingRoundingDoublingHighMultiply(scale, exponentials[distance])
                output[base + column] = Int8(clamping: Softmax.roundingShift(probability, exponent) &+ Int32(Int8.min))
            }
        }
    }
}

extension SoftmaxOptions: FastKernelMaking {
    public func fastScratchBytes(inputs: [Tensor?], outputs: [Tensor], threads: Int, instructionSet: Int32) -> Int {
        FastSoftmax.scratchBytes
    }

    public func makeFastKernel(kind: OperatorKind, inputs: [TensorView?], outputs: [TensorView], context: KernelContext)
        -> any OperatorKernel {
        FastSoftmax(options: self, input: inputs[0]!, output: outputs[0], context: context)
    }
}
