import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// The fast softmax (looked-up exponentials) equals the reference ``Softmax`` bit for bit: options from random
/// scales and betas, hand-picked diffMinimum values (above 0, 0, and below every difference), rows of equal
/// logits, rows spanning −128…127, and ImageNet-sized rows.
@Suite struct FastSoftmaxTests {
    static func mismatches(_ options: SoftmaxOptions, shape: [Int], _ values: [Int8], selection: KernelSelection) -> Int {
        let input = TestTensor(shape: shape, int8: values, scale: 0.1)
        let expected = TestTensor(shape: shape, scale: 1.0 / 256, zeroPoint: -128)
        let actual = TestTensor(shape: shape, scale: 1.0 / 256, zeroPoint: -128)
        options.makeKernel(kind: .softmax, inputs: [input.view], outputs: [expected.view]).run()
        let bytes = options.fastScratchBytes(inputs: [Tensor(name: "x", type: .int8, shape: TensorShape(shape))],
                                             outputs: [], threads: 1, instructionSet: selection.instructionSet!)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: 1)
        let kernel = options.makeFastKernel(kind: .softmax, inputs: [input.view], outputs: [actual.view],
                                            context: scratch.context)
        #expect(kernel is FastSoftmax)
        kernel.run()
        #expect(scratch.context.remainingBytes == 0)
        return zip(expected.int8Values, actual.int8Values).filter { $0 != $1 }.count
    }

    @Test(arguments: FastKernelSupport.selections)
    func randomOptionsAndRows(selection: KernelSelection) throws {
        var generator = SeededGenerator(seed: 0x50F8)
        for depth in [1, 2, 7, 64, 1001] {
            for _ in 0..<6 {
                let options = try SoftmaxOptions.make(inputScale: Float.random(in: 0.002...1, using: &generator),
                                                      beta: Float.random(in: 0.25...4, using: &generator))
                let values = generator.int8Values(3 * depth)
                #expect(Self.mismatches(options, shape: [3, depth], values, selection: selection) == 0, "depth \(depth)")
            }
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func extremeDiffMinimumsAndRows(selection: KernelSelection) throws {
        let base = try SoftmaxOptions.make(inputScale: 0.05)
        let rows: [[Int8]] = [Array(repeating: 7, count: 600), (0..<256).map { Int8(truncatingIfNeeded: $0 - 128) },
                              [127, -128, 0, 0, 127]]
        for diffMinimum: Int32 in [5, 0, -1, -255, -256, -100_000] {
            let options = SoftmaxOptions(inputMultiplier: base.inputMultiplier, inputLeftShift: base.inputLeftShift,
                                         diffMinimum: diffMinimum)
            for row in rows {
                #expect(Self.mismatches(options, shape: [1, row.count], row, selection: selection) == 0,
                        "diffMinimum \(diffMinimum), row of \(row.count)")
            }
        }
    }
}
