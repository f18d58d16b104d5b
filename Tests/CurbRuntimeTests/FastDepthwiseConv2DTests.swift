import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// The fast depthwise convolution equals the reference ``DepthwiseConv2D`` bit for bit, on every instruction
/// set this CPU has and for 1, 2 and 3 threads.
@Suite struct FastDepthwiseConv2DTests {
    static func mismatches(channels: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int),
                           dilation: (Int, Int), padding: Padding2D, batches: Int, seed: UInt64,
                           selection: KernelSelection, threads: Int, rightShiftsOnly: Bool = false,
                           realistic: Bool = false, activation: ActivationRange? = nil) -> Int? {
        let outputHeight = (height + Int(padding.top + padding.bottom) - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1
        let outputWidth = (width + Int(padding.left + padding.right) - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1
        guard outputHeight >= 1, outputWidth >= 1 else { return nil }
        var generator = SeededGenerator(seed: seed)
        let input = TestTensor(shape: [batches, height, width, channels],
                               int8: generator.int8Values(batches * height * width * channels), scale: 1,
                               zeroPoint: Int32.random(in: -128...127, using: &generator))
        let filter = TestTensor(shape: [1, kernel.0, kernel.1, channels],
                                int8: generator.int8Values(kernel.0 * kernel.1 * channels), scale: 1)
        let biases = realistic ? FastKernelSupport.realisticBiases(channels, &generator)
                               : FastKernelSupport.biases(channels, &generator)
        let bias = seed % 4 == 0 ? nil : TestTensor(shape: [channels], int32: biases)
        let options = DepthwiseConv2DOptions(
            strideHeight: Int32(stride.0), strideWidth: Int32(stride.1),
            dilationHeight: Int32(dilation.0), dilationWidth: Int32(dilation.1), padding: padding, depthMultiplier: 1,
            activation: activation ?? FastKernelSupport.activation(&generator),
            requantization: (0..<channels).map { channel in
                realistic ? FastKernelSupport.realisticRequantization(channel: channel, &generator)
                          : FastKernelSupport.requantization(&generator, rightShiftsOnly: rightShiftsOnly)
            })
        let outputZeroPoint = Int32.random(in: -128...127, using: &generator)
        let shape = [batches, outputHeight, outputWidth, channels]
        let expected = TestTensor(shape: shape, scale: 1, zeroPoint: outputZeroPoint)
        let actual = TestTensor(shape: shape, scale: 1, zeroPoint: outputZeroPoint)
        DepthwiseConv2D(options: options, input: input.view, filter: filter.view, bias: bias?.view, output: expected.view).run()
        let bytes = options.fastScratchBytes(
            inputs: [Tensor(name: "in", type: .int8, shape: input.shape),
                     Tensor(name: "w", type: .int8, shape: filter.shape, storage: .constant(offset: 0))],
            outputs: [], threads: threads, instructionSet: selection.instructionSet!)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: threads)
        let kernel = options.makeFastKernel(kind: .depthwiseConv2D, inputs: [input.view, filter.view, bias?.view],
                                            outputs: [actual.view], context: scratch.context)
        #expect(kernel is FastDepthwiseConv2D)
        kernel.run()
        #expect(scratch.context.remainingBytes == 0)
        return zip(expected.int8Values, actual.int8Values).filter { $0 != $1 }.count
    }

    @Test(arguments: FastKernelSupport.selections)
    func threeByThreeStrideOneAndTwo(selection: KernelSelection) {
        var seed: UInt64 = 100
        for channels in FastKernelSupport.oddChannelCounts + [16, 32, 48, 144] {
            for stride in [1, 2] {
                for threads in FastKernelSupport.threadCounts {
                    seed += 1
                    let result = Self.mismatches(channels: channels, height: 7, width: 8, kernel: (3, 3), stride: (stride, stride),
                                                 dilation: (1, 1), padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1),
                                                 batches: 1, seed: seed, selection: selection, threads: threads)
                    #expect(result == 0, "channels \(channels) stride \(stride) threads \(threads)")
                }
            }
        }
    }

    /// 3x3 layers of each channel count at each (stride, dilation), clamping to all of int8 or to a narrower range,
    /// widths alternating between even and odd.
    static func expectThreeByThreeExact(channels: [Int], steps: [(stride: Int, dilation: Int)], seed: UInt64,
                                        selection: KernelSelection, rightShiftsOnly: Bool = false,
                                        realistic: Bool = false) {
        var seed = seed
        for channels in channels {
            for activation in [ActivationRange.int8, ActivationRange(minimum: -100, maximum: 90)] {
                for (stride, dilation) in steps {
                    seed += 1
                    let result = Self.mismatches(channels: channels, height: 8, width: 9 + Int(seed % 2), kernel: (3, 3),
                                                 stride: (stride, stride), dilation: (dilation, dilation),
                                                 padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1),
                                                 batches: 1, seed: seed, selection: selection,
                                                 threads: FastKernelSupport.threadCounts[Int(seed % 3)],
                                                 rightShiftsOnly: rightShiftsOnly, realistic: realistic,
                                                 activation: activation)
                    #expect(result == 0, "channels \(channels) stride \(stride) dilation \(dilation) activation \(activation)")
                }
            }
        }
    }

    /// The 3x3 rows specialized for layers without left shifts, clamping to all of int8 or to a narrower range.
    @Test(arguments: FastKernelSupport.selections)
    func threeByThreeWithoutLeftShifts(selection: KernelSelection) {
        Self.expectThreeByThreeExact(channels: [5, 32, 48, 144], steps: [(1, 1), (2, 1)], seed: 700, selection: selection,
                                     rightShiftsOnly: true)
    }

    /// Trained layers' values (small biases, right shifts 0…31): the AVX-512 one-rounding requantization, with
    /// whole and partial 32-channel blocks, pixel pairs (at most 16 channels), both clamps, and on 3x3 layers of
    /// 64 channels or more (32 with AVX-VNNI) the quad layout's blocks (two interior pixels at a time at stride 1,
    /// odd interior widths, dilation) with the other rows for the rest; at 16 and 32 channels and stride 1 its
    /// pixel groups (4 or 2 pixels per vector) and the remainder of the interior on the other rows.
    @Test(arguments: FastKernelSupport.selections)
    func realisticLayersOnEveryRightShift(selection: KernelSelection) {
        Self.expectThreeByThreeExact(channels: [8, 16, 32, 40, 64, 96, 136, 200], steps: [(1, 1), (2, 1), (1, 2)], seed: 7100,
                                     selection: selection, realistic: true)
    }

    /// GemmConvolutionTests.negativeTieAtTheExactnessBound for the depthwise kernels: zero weights, every
    /// accumulator the bias −2^20, a multiplier with 10 trailing zero bits, right shift 13; the reference gives −64.
    @Test(arguments: FastKernelSupport.selections)
    func negativeTieAtTheExactnessBound(selection: KernelSelection) {
        let requantization = Requantization(multiplier: Int32(1_056_767 * 1024), shift: -13)
        let channels = 40
        let input = TestTensor(shape: [1, 5, 5, channels], int8: (0..<(25 * channels)).map { Int8(truncatingIfNeeded: $0 * 37) },
                               scale: 1, zeroPoint: -7)
        let filter = TestTensor(shape: [1, 3, 3, channels], int8: [Int8](repeating: 0, count: 9 * channels), scale: 1)
        let bias = TestTensor(shape: [channels], int32: [Int32](repeating: -(1 << 20), count: channels))
        let options = DepthwiseConv2DOptions(strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
                                             padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1), depthMultiplier: 1,
                                             activation: .int8,
                                             requantization: [Requantization](repeating: requantization, count: channels))
        let expected = TestTensor(shape: [1, 5, 5, channels], scale: 1, zeroPoint: 0)
        let actual = TestTensor(shape: [1, 5, 5, channels], scale: 1, zeroPoint: 0)
        DepthwiseConv2D(options: options, input: input.view, filter: filter.view, bias: bias.view, output: expected.view).run()
        #expect(expected.int8Values.allSatisfy { $0 == -64 }, "the case must sit on the tie")
        let bytes = options.fastScratchBytes(
            inputs: [Tensor(name: "in", type: .int8, shape: input.shape),
                     Tensor(name: "w", type: .int8, shape: filter.shape, storage: .constant(offset: 0))],
            outputs: [], threads: 1, instructionSet: selection.instructionSet!)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: 1)
        let kernel = options.makeFastKernel(kind: .depthwiseConv2D, inputs: [input.view, filter.view, bias.view],
                                            outputs: [actual.view], context: scratch.context)
        kernel.run()
        #expect(actual.int8Values == expected.int8Values)
    }

    /// Kernels with more taps than the AVX-512 row's pointer array (64) take the 16-channel AVX2 row there.
    @Test(arguments: FastKernelSupport.selections)
    func kernelsAboveSixtyFourTaps(selection: KernelSelection) {
        for (index, channels) in [5, 20, 48].enumerated() {
            let result = Self.mismatches(channels: channels, height: 11, width: 12, kernel: (9, 8), stride: (1, 2),
                                         dilation: (1, 1), padding: Padding2D(top: 4, left: 3, bottom: 4, right: 4),
                                         batches: 1, seed: 900 + UInt64(index), selection: selection,
                                         threads: FastKernelSupport.threadCounts[index])
            #expect(result == 0, "channels \(channels)")
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func randomShapes(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 0xD3)
        var checked = 0
        for iteration in 0..<200 where checked < 120 {
            let channels = Int.random(in: 0..<2, using: &generator) == 0
                ? FastKernelSupport.oddChannelCounts.randomElement(using: &generator)! : Int.random(in: 1...70, using: &generator)
            let padding = Padding2D(top: Int32.random(in: 0...3, using: &generator), left: Int32.random(in: 0...3, using: &generator),
                                    bottom: Int32.random(in: 0...3, using: &generator), right: Int32.random(in: 0...3, using: &generator))
            let result = Self.mismatches(
                channels: channels, height: Int.random(in: 1...10, using: &generator), width: Int.random(in: 1...10, using: &generator),
                kernel: (Int.random(in: 1...5, using: &generator), Int.random(in: 1...5, using: &generator)),
                stride: (Int.random(in: 1...3, using: &generator), Int.random(in: 1...3, using: &generator)),
                dilation: (Int.random(in: 1...3, using: &generator), Int.random(in: 1...3, using: &generator)),
                padding: padding, batches: Int.random(in: 1...2, using: &generator), seed: UInt64(iteration) &+ 5000,
                selection: selection, threads: FastKernelSupport.threadCounts[iteration % 3])
            guard let result else { continue }
            checked += 1
            #expect(result == 0, "case \(iteration)")
        }
        #expect(checked >= 100)
    }
}
