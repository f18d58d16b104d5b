import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// The fast GEMM convolution equals the reference ``Conv2D`` / ``FullyConnected`` bit for bit, on every
/// instruction set this CPU has and for 1, 2 and 3 threads.
@Suite struct GemmConvolutionTests {
    struct Case {
        var batches = 1, height = 1, width = 1, inputChannels = 1, outputChannels = 1
        var kernelHeight = 1, kernelWidth = 1, strideHeight = 1, strideWidth = 1, dilationHeight = 1, dilationWidth = 1
        var padding = Padding2D.zero
        var outputHeight: Int {
            (height + Int(padding.top + padding.bottom) - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1
        }
        var outputWidth: Int {
            (width + Int(padding.left + padding.right) - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1
        }
    }

    /// Runs reference and fast kernels on the same random tensors; returns the number of differing outputs.
    /// With `extremeValues`, inputs and weights are only −128 and 127 (the largest products, the ones a
    /// saturating u8×s8 instruction would clip).
    static func mismatches(_ c: Case, seed: UInt64, selection: KernelSelection, threads: Int, hasBias: Bool = true,
                           extremeValues: Bool = false, rightShiftsOnly: Bool = false, realistic: Bool = false,
                           activation: ActivationRange? = nil) -> Int {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int) -> [Int8] {
            extremeValues ? (0..<count).map { _ in Bool.random(using: &generator) ? 127 : -128 } : generator.int8Values(count)
        }
        let inputZeroPoint = Int32.random(in: -128...127, using: &generator)
        let outputZeroPoint = Int32.random(in: -128...127, using: &generator)
        let input = TestTensor(shape: [c.batches, c.height, c.width, c.inputChannels],
                               int8: values(c.batches * c.height * c.width * c.inputChannels),
                               scale: 1, zeroPoint: inputZeroPoint)
        let filterCount = c.outputChannels * c.kernelHeight * c.kernelWidth * c.inputChannels
        let filter = TestTensor(shape: [c.outputChannels, c.kernelHeight, c.kernelWidth, c.inputChannels],
                                int8: values(filterCount), scale: 1)
        let biases = realistic ? FastKernelSupport.realisticBiases(c.outputChannels, &generator)
                               : FastKernelSupport.biases(c.outputChannels, &generator)
        let bias = hasBias ? TestTensor(shape: [c.outputChannels], int32: biases) : nil
        let options = Conv2DOptions(
            strideHeight: Int32(c.strideHeight), strideWidth: Int32(c.strideWidth),
            dilationHeight: Int32(c.dilationHeight), dilationWidth: Int32(c.dilationWidth), padding: c.padding,
            activation: activation ?? FastKernelSupport.activation(&generator),
            requantization: (0..<c.outputChannels).map { channel in
                realistic ? FastKernelSupport.realisticRequantization(channel: channel, &generator)
                          : FastKernelSupport.requantization(&generator, rightShiftsOnly: rightShiftsOnly)
            })
        let outputShape = [c.batches, c.outputHeight, c.outputWidth, c.outputChannels]
        let expected = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        let actual = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        Conv2D(options: options, input: input.view, filter: filter.view, bias: bias?.view, output: expected.view).run()

        let inputs: [Tensor?] = [
            Tensor(name: "in", type: .int8, shape: input.shape, storage: .activation),
            Tensor(name: "w", type: .int8, shape: filter.shape, storage: .constant(offset: 0)),
        ]
        let bytes = options.fastScratchBytes(inputs: inputs, outputs: [], threads: threads,
                                             instructionSet: selection.instructionSet!)
        let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: threads)
        let kernel = options.makeFastKernel(kind: .conv2D, inputs: [input.view, filter.view, bias?.view],
                                            outputs: [actual.view], context: scratch.context)
        #expect(kernel is GemmConvolution)
        kernel.run()
        kernel.run()   // a second run must give the same bits (no state carried between runs)
        #expect(scratch.context.remainingBytes == 0, "the sizing and the kernel must agree")
        return zip(expected.int8Values, actual.int8Values).filter { $0 != $1 }.count
    }

    @Test(arguments: FastKernelSupport.selections)
    func pointwiseShapesWithOddChannelCounts(selection: KernelSelection) {
        var seed: UInt64 = 1
        for inputChannels in FastKernelSupport.oddChannelCounts {
            for outputChannels in FastKernelSupport.oddChannelCounts {
                for threads in FastKernelSupport.threadCounts {
                    let c = Case(height: 3, width: 5, inputChannels: inputChannels, outputChannels: outputChannels)
                    seed += 1
                    #expect(Self.mismatches(c, seed: seed, selection: selection, threads: threads) == 0,
                            "in \(inputChannels) out \(outputChannels) threads \(threads)")
                }
            }
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func extremeOperandsStayExact(selection: KernelSelection) {
        var seed: UInt64 = 9000
        for depth in [1, 3, 4, 5, 16, 27, 64, 255, 1280] {
            for threads in [1, 2] {
                seed += 1
                var c = Case()
                c.height = 3; c.width = 5; c.inputChannels = depth; c.outputChannels = 19
                #expect(Self.mismatches(c, seed: seed, selection: selection, threads: threads, extremeValues: true) == 0,
                        "depth \(depth) threads \(threads)")
            }
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func randomShapesStridesPaddingsDilations(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 0xC0DE)
        for iteration in 0..<150 {
            var c = Case()
            c.batches = Int.random(in: 1...2, using: &generator)
            c.height = Int.random(in: 1...9, using: &generator)
            c.width = Int.random(in: 1...9, using: &generator)
            c.inputChannels = Int.random(in: 0..<3, using: &generator) == 0
                ? FastKernelSupport.oddChannelCounts.randomElement(using: &generator)! : Int.random(in: 1...40, using: &generator)
            c.outputChannels = Int.random(in: 0..<3, using: &generator) == 0
                ? FastKernelSupport.oddChannelCounts.randomElement(using: &generator)! : Int.random(in: 1...70, using: &generator)
            c.kernelHeight = Int.random(in: 1...4, using: &generator)
            c.kernelWidth = Int.random(in: 1...4, using: &generator)
            c.strideHeight = Int.random(in: 1...3, using: &generator)
            c.strideWidth = Int.random(in: 1...3, using: &generator)
            c.dilationHeight = Int.random(in: 1...2, using: &generator)
            c.dilationWidth = Int.random(in: 1...2, using: &generator)
            c.padding = Padding2D(top: Int32.random(in: 0...2, using: &generator), left: Int32.random(in: 0...2, using: &generator),
                                  bottom: Int32.random(in: 0...2, using: &generator), right: Int32.random(in: 0...2, using: &generator))
            guard c.outputHeight >= 1, c.outputWidth >= 1 else { continue }
            let threads = FastKernelSupport.threadCounts[iteration % 3]
            #expect(Self.mismatches(c, seed: UInt64(iteration) &+ 7777, selection: selection, threads: threads,
                                    hasBias: iteration % 5 != 0) == 0,
                    "case \(iteration): \(c) threads \(threads)")
        }
    }

    /// The epilogues specialized for layers without left shifts, clamping to all of int8 or to a narrower range
    /// (most real layers), on pointwise, gathered and directly gathered convolutions and several tile shapes.
    @Test(arguments: FastKernelSupport.selections)
    func layersWithoutLeftShifts(selection: KernelSelection) {
        let cases = [
            Case(height: 6, width: 7, inputChannels: 16, outputChannels: 48),
            Case(height: 5, width: 5, inputChannels: 24, outputChannels: 13),
            Case(height: 9, width: 9, inputChannels: 3, outputChannels: 32, kernelHeight: 3, kernelWidth: 3,
                 strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1)),
            Case(height: 7, width: 6, inputChannels: 16, outputChannels: 40, kernelHeight: 3, kernelWidth: 3,
                 padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1)),
            // At most 8 output channels: two rows per vector on AVX-512 (an odd row count leaves one alone).
            Case(height: 9, width: 7, inputChannels: 16, outputChannels: 8),
            Case(height: 5, width: 5, inputChannels: 3, outputChannels: 5, kernelHeight: 3, kernelWidth: 3,
                 strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1)),
        ]
        Self.expectExact(cases, seed: 3000, selection: selection, rightShiftsOnly: true)
    }

    /// Each case clamping to all of int8 and to a narrower range, at 1 and 2 threads.
    static func expectExact(_ cases: [Case], seed: UInt64, selection: KernelSelection, rightShiftsOnly: Bool = false,
                            realistic: Bool = false) {
        var seed = seed
        for (index, c) in cases.enumerated() {
            for activation in [ActivationRange.int8, ActivationRange(minimum: -90, maximum: 100)] {
                for threads in [1, 2] {
                    seed += 1
                    #expect(Self.mismatches(c, seed: seed, selection: selection, threads: threads,
                                            rightShiftsOnly: rightShiftsOnly, realistic: realistic,
                                            activation: activation) == 0,
                            "layer \(index) activation \(activation) threads \(threads)")
                }
            }
        }
    }

    /// First layers (few channels, small kernels): on AVX-512 with VBMI, groups of 4 pixels of one output row
    /// inside the input columns are gathered from one window per input row by a byte permutation; the others, and
    /// rows above or below the input, keep the general gather. Widths, strides and paddings vary which is which.
    @Test(arguments: FastKernelSupport.selections)
    func firstLayersGatheredFromWindows(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 0xF125)
        for iteration in 0..<60 {
            var c = Case()
            c.batches = Int.random(in: 1...2, using: &generator)
            c.height = Int.random(in: 3...12, using: &generator)
            c.width = Int.random(in: 4...40, using: &generator)
            c.inputChannels = [1, 2, 3, 3, 3, 4, 5].randomElement(using: &generator)!
            c.outputChannels = [8, 16, 16, 24, 32].randomElement(using: &generator)!
            c.kernelHeight = Int.random(in: 1...3, using: &generator)
            c.kernelWidth = Int.random(in: 2...3, using: &generator)
            c.strideHeight = Int.random(in: 1...2, using: &generator)
            c.strideWidth = Int.random(in: 1...3, using: &generator)
            c.dilationHeight = Int.random(in: 1...2, using: &generator)
            c.padding = Padding2D(top: Int32.random(in: 0...1, using: &generator), left: Int32.random(in: 0...1, using: &generator),
                                  bottom: Int32.random(in: 0...1, using: &generator), right: Int32.random(in: 0...1, using: &generator))
            guard c.outputHeight >= 1, c.outputWidth >= 1 else { continue }
            let threads = FastKernelSupport.threadCounts[iteration % 3]
            #expect(Self.mismatches(c, seed: UInt64(iteration) &+ 4100, selection: selection, threads: threads,
                                    rightShiftsOnly: iteration % 2 == 0) == 0,
                    "case \(iteration): \(c) threads \(threads)")
        }
    }

    /// Trained layers' values (small biases, right shifts 0…31): the AVX-512 one-rounding requantization, on
    /// pointwise and gathered convolutions, tile shapes of 1 and 2 blocks, and layers of at most 8 channels.
    @Test(arguments: FastKernelSupport.selections)
    func realisticLayersOnEveryRightShift(selection: KernelSelection) {
        let cases = [
            Case(height: 6, width: 7, inputChannels: 16, outputChannels: 64),
            Case(height: 5, width: 5, inputChannels: 40, outputChannels: 32),
            Case(height: 9, width: 9, inputChannels: 3, outputChannels: 32, kernelHeight: 3, kernelWidth: 3,
                 strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1)),
            Case(height: 7, width: 6, inputChannels: 8, outputChannels: 33, kernelHeight: 3, kernelWidth: 3,
                 padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1)),
            Case(height: 9, width: 7, inputChannels: 16, outputChannels: 8),
            Case(height: 5, width: 3, inputChannels: 300, outputChannels: 48),
        ]
        Self.expectExact(cases, seed: 5000, selection: selection, realistic: true)
    }

    /// The one place the one-rounding requantization would differ from TFLite's: a negative accumulator at an exact
    /// tie, |x| = 2^(30 − v) for a multiplier with v trailing zero bits. Zero weights make every accumulator the bias,
    /// −2^20 with v = 10, right shift 13: the reference rounds −64.4999 (after its first rounding, −64.5 − 2^-14)
    /// to −64; the one-rounding form without its − 1 gives −65. The layer's bound is 2^20, not below it, so the
    /// kernels must keep the two-step form.
    @Test(arguments: FastKernelSupport.selections)
    func negativeTieAtTheExactnessBound(selection: KernelSelection) {
        let multiplier = Int32(1_056_767 * 1024)   // odd part ≡ −(1 + 2^13) mod 2^14, 10 trailing zero bits
        let requantization = Requantization(multiplier: multiplier, shift: -13)
        let input = TestTensor(shape: [1, 4, 4, 8], int8: (0..<128).map { Int8(truncatingIfNeeded: $0 * 37) }, scale: 1,
                               zeroPoint: 3)
        let filter = TestTensor(shape: [16, 1, 1, 8], int8: [Int8](repeating: 0, count: 128), scale: 1)
        let bias = TestTensor(shape: [16], int32: [Int32](repeating: -(1 << 20), count: 16))
        let options = Conv2DOptions(strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
                                    padding: .zero, activation: .int8,
                                    requantization: [Requantization](repeating: requantization, count: 16))
        let expected = TestTensor(shape: [1, 4, 4, 16], scale: 1, zeroPoint: 0)
        let actual = TestTensor(shape: [1, 4, 4, 16], scale: 1, zeroPoint: 0)
        Conv2D(options: options, input: input.view, filter: filter.view, bias: bias.view, output: expected.view).run()
        #expect(expected.int8Values.allSatisfy { $0 == -64 }, "the case must sit on the tie")
        let inputs: [Tensor?] = [Tensor(name: "in", type: .int8, shape: input.shape, storage: .activation),
                                 Tensor(name: "w", type: .int8, shape: filter.shape, storage: .constant(offset: 0))]
        let scratch = FastKernelSupport.Scratch(
            bytes: options.fastScratchBytes(inputs: inputs, outputs: [], threads: 1,
                                            instructionSet: selection.instructionSet!),
            selection: selection, threads: 1)
        let kernel = options.makeFastKernel(kind: .conv2D, inputs: [input.view, filter.view, bias.view],
                                            outputs: [actual.view], context: scratch.context)
        kernel.run()
        #expect(actual.int8Values == expected.int8Values)
    }

    @Test(arguments: FastKernelSupport.selections)
    func mobileNetLikeLayers(selection: KernelSelection) {
        // Large depths and channel counts (several 16-channel blocks, row and channel splits).
        let cases = [
            Case(height: 14, width: 14, inputChannels: 96, outputChannels: 100),
            Case(height: 7, width: 7, inputChannels: 320, outputChannels: 200),
            Case(height: 9, width: 9, inputChannels: 3, outputChannels: 32, kernelHeight: 3, kernelWidth: 3,
                 strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1)),
            // Kernel rows of 48 bytes (whole quads, gathered in three 16-byte pieces) and of 20 (padded to 5 quads).
            Case(height: 10, width: 11, inputChannels: 16, outputChannels: 40, kernelHeight: 3, kernelWidth: 3,
                 strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1)),
            Case(height: 8, width: 7, inputChannels: 5, outputChannels: 24, kernelHeight: 4, kernelWidth: 4,
                 strideHeight: 1, strideWidth: 1, padding: Padding2D(top: 2, left: 1, bottom: 1, right: 2)),
        ]
        for (index, c) in cases.enumerated() {
            for threads in FastKernelSupport.threadCounts {
                #expect(Self.mismatches(c, seed: UInt64(900 + index), selection: selection, threads: threads) == 0,
                        "layer \(index) threads \(threads)")
            }
        }
    }

    @Test(arguments: FastKernelSupport.selections)
    func fullyConnectedMatchesReference(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 42)
        for iteration in 0..<40 {
            let batches = Int.random(in: 1...6, using: &generator)
            let depth = Int.random(in: 1...300, using: &generator)
            let units = Int.random(in: 1...50, using: &generator)
            let perUnit = iteration % 2 == 0
            let input = TestTensor(shape: [batches, depth], int8: generator.int8Values(batches * depth), scale: 1,
                                   zeroPoint: Int32.random(in: -128...127, using: &generator))
            let filter = TestTensor(shape: [units, depth], int8: generator.int8Values(units * depth), scale: 1)
            let bias = iteration % 3 == 0 ? nil : TestTensor(shape: [units], int32: FastKernelSupport.biases(units, &generator))
            let options = FullyConnectedOptions(
                activation: FastKernelSupport.activation(&generator),
                requantization: (0..<(perUnit ? units : 1)).map { _ in FastKernelSupport.requantization(&generator) })
            let outputZeroPoint = Int32.random(in: -128...127, using: &generator)
            let expected = TestTensor(shape: [batches, units], scale: 1, zeroPoint: outputZeroPoint)
            let actual = TestTensor(shape: [batches, units], scale: 1, zeroPoint: outputZeroPoint)
            FullyConnected(options: options, input: input.view, filter: filter.view, bias: bias?.view, output: expected.view).run()
            let threads = FastKernelSupport.threadCounts[iteration % 3]
            let bytes = options.fastScratchBytes(
                inputs: [nil, Tensor(name: "w", type: .int8, shape: filter.shape, storage: .constant(offset: 0))],
                outputs: [], threads: threads, instructionSet: selection.instructionSet!)
            let scratch = FastKernelSupport.Scratch(bytes: bytes, selection: selection, threads: threads)
            options.makeFastKernel(kind: .fullyConnected, inputs: [input.view, filter.view, bias?.view],
                                   outputs: [actual.view], context: scratch.context).run()
            #expect(expected.int8Values == actual.int8Values, "case \(iteration) threads \(threads)")
        }
    }
}
