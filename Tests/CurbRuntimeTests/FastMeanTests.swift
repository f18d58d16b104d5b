import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// The fast mean equals the reference ``Mean`` bit for bit on every instruction set this CPU has: means over
/// one contiguous run of axes (the spatial mean of classifier heads and others), random zero points,
/// realistic and extreme multipliers and shifts, large reductions; other axis sets keep the reference kernel.
@Suite struct FastMeanTests {
    /// Runs both kernels on a random input; the number of differing output bytes.
    static func mismatches(shape: [Int], axes: [Int32], seed: UInt64, selection: KernelSelection,
                           expectFast: Bool = true) -> Int {
        var generator = SeededGenerator(seed: seed)
        let count = TensorShape(shape).elementCount
        let input = TestTensor(shape: shape, int8: generator.int8Values(count), scale: 1,
                               zeroPoint: Int32.random(in: -128...127, using: &generator))
        let requantization = Int.random(in: 0..<3, using: &generator) == 0
            ? Requantization(multiplier: Int32.random(in: 0...Int32.max, using: &generator),
                             shift: Int32.random(in: -31...31, using: &generator))
            : Requantization(multiplier: Int32.random(in: (1 << 30)...Int32.max, using: &generator),
                             shift: Int32.random(in: -3...1, using: &generator))
        let options = MeanOptions(axes: axes, keepDims: false, requantization: requantization)
        let outputShape = shape.enumerated().filter { !axes.contains(Int32($0.offset)) }.map(\.element)
        let zeroPoint = Int32.random(in: -128...127, using: &generator)
        let expected = TestTensor(shape: outputShape, scale: 1, zeroPoint: zeroPoint)
        let actual = TestTensor(shape: outputShape, scale: 1, zeroPoint: zeroPoint)
        Mean(options: options, input: input.view, output: expected.view).run()
        let bytes = options.fastScratchBytes(inputs: [Tensor(name: "x", type: .int8, shape: TensorShape(shape))],
                                             outputs: [], threads: 1, instructionSet: selection.instructionSet!)
        #expect((bytes > 0) == expectFast)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: 1)
        let kernel = options.makeFastKernel(kind: .mean, inputs: [input.view], outputs: [actual.view],
                                            context: scratch.context)
        #expect((kernel is FastMean) == expectFast)
        kernel.run()
        kernel.run()
        #expect(scratch.context.remainingBytes == 0)
        return zip(expected.int8Values, actual.int8Values).filter { $0 != $1 }.count
    }

    @Test(arguments: FastKernelSupport.selections)
    func spatialMeansOfClassifierHeads(selection: KernelSelection) {
        let cases: [([Int], [Int32])] = [([1, 7, 7, 1280], [1, 2]), ([1, 3, 3, 1120], [1, 2]), ([2, 8, 8, 64], [1, 2]),
                                         ([1, 1, 1, 13], [1, 2]), ([3, 5, 4, 17], [1, 2]), ([1, 64, 64, 3], [1, 2])]
        for (index, (shape, axes)) in cases.enumerated() {
            #expect(Self.mismatches(shape: shape, axes: axes, seed: 40 + UInt64(index), selection: selection) == 0,
                    "\(shape) over \(axes)")
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func randomShapesAndContiguousAxes(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 0x3EA7)
        for iteration in 0..<150 {
            let rank = Int.random(in: 1...4, using: &generator)
            let shape = (0..<rank).map { _ in Int.random(in: 1...9, using: &generator) }
            let first = Int.random(in: 0..<rank, using: &generator)
            let last = Int.random(in: first..<rank, using: &generator)
            let axes = (first...last).map(Int32.init)
            #expect(Self.mismatches(shape: shape, axes: axes, seed: UInt64(iteration), selection: selection) == 0,
                    "case \(iteration): \(shape) over \(axes)")
        }
    }

    /// Reductions of 2^16 elements and more: the int32 sums and the folded 1 / N at their extremes.
    @Test(arguments: FastKernelSupport.selections)
    func largeReductions(selection: KernelSelection) {
        for (index, shape) in [[1, 256, 256, 1], [1, 300, 300, 2]].enumerated() {
            #expect(Self.mismatches(shape: shape, axes: [1, 2], seed: 77 + UInt64(index), selection: selection) == 0)
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func axesWithAGapKeepTheReferenceKernel(selection: KernelSelection) {
        #expect(Self.mismatches(shape: [2, 3, 4, 5], axes: [1, 3], seed: 5, selection: selection, expectFast: false) == 0)
    }
}
