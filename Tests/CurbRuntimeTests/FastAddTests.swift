import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// The fast ADD equals the reference ``Add`` bit for bit, on every instruction set this CPU has, for 1, 2 and 3
/// threads: elementwise, per-channel and scalar broadcasts on either side, lengths that are not multiples of the
/// vector width, outputs large enough to be split over the pool, random zero points, multipliers and shifts.
@Suite struct FastAddTests {
    /// Realistic options from random scales (TFLite's Prepare), or extreme multipliers and shifts.
    static func options(_ generator: inout SeededGenerator) -> AddOptions {
        let activation = FastKernelSupport.activation(&generator)
        if Bool.random(using: &generator) {
            let scales = (0..<3).map { _ in Float.random(in: 0.001...0.2, using: &generator) }
            if var made = try? AddOptions.make(input1Scale: scales[0], input2Scale: scales[1], outputScale: scales[2],
                                               outputZeroPoint: 0) {
                made.activation = activation
                return made
            }
        }
        func extreme() -> Requantization {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: Requantization(multiplier: Int32.max, shift: Int32.random(in: -31...0, using: &generator))
            case 1: Requantization(multiplier: [0, 1, Int32.max][Int.random(in: 0..<3, using: &generator)],
                                   shift: [0, -31][Int.random(in: 0..<2, using: &generator)])
            default: Requantization(multiplier: Int32.random(in: 0...Int32.max, using: &generator),
                                    shift: Int32.random(in: -31...0, using: &generator))
            }
        }
        return AddOptions(leftShift: Int32.random(in: 0...20, using: &generator), input1: extreme(), input2: extreme(),
                          output: extreme(), activation: activation)
    }

    /// Runs both kernels; nil when the fast kernel did not take the shapes (then `expectFast` must be false).
    static func mismatches(_ shape1: [Int], _ shape2: [Int], seed: UInt64, selection: KernelSelection, threads: Int,
                           expectFast: Bool = true) -> Int {
        var generator = SeededGenerator(seed: seed)
        let outputShape = AddOptions.broadcastShape(TensorShape(shape1), TensorShape(shape2))!
        let input1 = TestTensor(shape: shape1, int8: generator.int8Values(TensorShape(shape1).elementCount), scale: 1,
                                zeroPoint: Int32.random(in: -128...127, using: &generator))
        let input2 = TestTensor(shape: shape2, int8: generator.int8Values(TensorShape(shape2).elementCount), scale: 1,
                                zeroPoint: Int32.random(in: -128...127, using: &generator))
        let options = Self.options(&generator)
        let zeroPoint = Int32.random(in: -128...127, using: &generator)
        let expected = TestTensor(shape: outputShape.dimensions, scale: 1, zeroPoint: zeroPoint)
        let actual = TestTensor(shape: outputShape.dimensions, scale: 1, zeroPoint: zeroPoint)
        Add(options: options, input1: input1.view, input2: input2.view, output: expected.view).run()
        let bytes = options.fastScratchBytes(inputs: [Tensor(name: "a", type: .int8, shape: TensorShape(shape1)),
                                                      Tensor(name: "b", type: .int8, shape: TensorShape(shape2))],
                                             outputs: [Tensor(name: "c", type: .int8, shape: outputShape)], threads: threads,
                                             instructionSet: selection.instructionSet!)
        #expect((bytes > 0) == expectFast)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: threads)
        let kernel = options.makeFastKernel(kind: .add, inputs: [input1.view, input2.view], outputs: [actual.view],
                                            context: scratch.context)
        #expect((kernel is FastAdd) == expectFast)
        #expect(scratch.context.remainingBytes == 0)
        kernel.run()
        return zip(expected.int8Values, actual.int8Values).filter { $0 != $1 }.count
    }

    @Test(arguments: FastKernelSupport.selections)
    func elementwise(selection: KernelSelection) {
        var seed: UInt64 = 1000
        // 1…33 and 24·56·56 (a MobileNetV2 residual, split over the pool).
        for count in FastKernelSupport.oddChannelCounts + [16, 31, 48, 75_264] {
            for threads in FastKernelSupport.threadCounts {
                seed += 1
                let shape = count == 75_264 ? [1, 56, 56, 24] : [1, 1, count]
                #expect(Self.mismatches(shape, shape, seed: seed, selection: selection, threads: threads) == 0,
                        "count \(count) threads \(threads)")
            }
        }
        // Equal element counts, ranks differing by leading 1s.
        #expect(Self.mismatches([1, 4, 5, 7], [4, 5, 7], seed: 7, selection: selection, threads: 2) == 0)
    }

    @Test(arguments: FastKernelSupport.selections)
    func perChannelAndScalarBroadcasts(selection: KernelSelection) {
        var seed: UInt64 = 2000
        for channels in FastKernelSupport.oddChannelCounts + [16, 32, 144] {
            for threads in FastKernelSupport.threadCounts {
                let full = [1, 6, 5, channels], big = [2, 40, 40, channels]
                for (shape1, shape2) in [(full, [channels]), ([1, 1, 1, channels], full), (full, [1]), ([], full),
                                         (full, [5, channels]), (big, [channels]), ([1], big)] {
                    seed += 1
                    #expect(Self.mismatches(shape1, shape2, seed: seed, selection: selection, threads: threads) == 0,
                            "\(shape1) + \(shape2) threads \(threads)")
                }
            }
        }
    }

    @Test func otherBroadcastsKeepTheReferenceKernel() {
        // Both sides broadcast: no side has every output element.
        #expect(Self.mismatches([3, 1, 5], [1, 4, 5], seed: 3, selection: .portable, threads: 1, expectFast: false) == 0)
        // A middle axis broadcast is not a suffix.
        #expect(Self.mismatches([2, 3, 4], [2, 1, 4], seed: 4, selection: .portable, threads: 1, expectFast: false) == 0)
    }
}
