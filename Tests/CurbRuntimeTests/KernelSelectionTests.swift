import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// Whole models give the same bits with every kernel selection and thread count.
@Suite struct KernelSelectionTests {
    /// A model with odd channel counts, a 5x5 dilated convolution (im2col), depthwise stride 2, a 1x1
    /// convolution without bias, and a fully connected layer.
    static func oddModel() -> Model {
        var random = SeededGenerator(seed: 77)
        var builder = ModelBuilder()
        let scale: Float = 0.05
        func q(_ zeroPoint: Int32) -> Quantization { Quantization(scale: scale, zeroPoint: zeroPoint) }
        func scales(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: 0.002...0.03, using: &random) } }
        func biases(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32.random(in: -3000...3000, using: &random) } }
        let input = builder.addActivation("in", shape: [1, 13, 11, 5], quantization: q(-7))
        // conv 5x5, dilation 2, stride 1, padding 4 → 13x11x17
        let s1 = scales(17)
        let w1 = builder.addConstant("w1", shape: [17, 5, 5, 5], quantization: Quantization(scales: s1, axis: 0),
                                     int8: random.int8Values(17 * 125))
        let b1 = builder.addConstant("b1", shape: [17], int32: biases(17))
        let c1 = builder.addActivation("c1", shape: [1, 13, 11, 17], quantization: q(3))
        builder.addOperator(.conv2D(.make(inputScale: scale, filterScales: s1, outputScale: scale, outputZeroPoint: 3,
                                          outputChannels: 17, activation: .relu, dilationHeight: 2, dilationWidth: 2,
                                          padding: Padding2D(top: 4, left: 4, bottom: 4, right: 4))),
                            inputs: [input, w1, b1], outputs: [c1])
        // depthwise 3x3 stride 2 → 7x6x17
        let s2 = scales(17)
        let w2 = builder.addConstant("w2", shape: [1, 3, 3, 17], quantization: Quantization(scales: s2, axis: 3),
                                     int8: random.int8Values(153))
        let b2 = builder.addConstant("b2", shape: [17], int32: biases(17))
        let c2 = builder.addActivation("c2", shape: [1, 7, 6, 17], quantization: q(-20))
        builder.addOperator(.depthwiseConv2D(.make(inputScale: scale, filterScales: s2, outputScale: scale, outputZeroPoint: -20,
                                                   outputChannels: 17, activation: .relu6, strideHeight: 2, strideWidth: 2,
                                                   padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1))),
                            inputs: [c1, w2, b2], outputs: [c2])
        // 1x1 conv 17 → 33
        let s3 = scales(33)
        let w3 = builder.addConstant("w3", shape: [33, 1, 1, 17], quantization: Quantization(scales: s3, axis: 0),
                                     int8: random.int8Values(33 * 17))
        let c3 = builder.addActivation("c3", shape: [1, 7, 6, 33], quantization: q(0))
        builder.addOperator(.conv2D(.make(inputScale: scale, filterScales: s3, outputScale: scale, outputZeroPoint: 0,
                                          outputChannels: 33, activation: .none)),
                            inputs: [c2, w3, -1], outputs: [c3])
        // fully connected over the flattened map: 7·6·33 = 1386 → 13
        let flat = builder.addActivation("flat", shape: [1, 1386], quantization: q(0))
        builder.addOperator(.reshape(ReshapeOptions()), inputs: [c3], outputs: [flat])
        let s4 = scales(13)
        let w4 = builder.addConstant("w4", shape: [13, 1386], quantization: Quantization(scales: s4, axis: 0),
                                     int8: random.int8Values(13 * 1386))
        let b4 = builder.addConstant("b4", shape: [13], int32: biases(13))
        let logits = builder.addActivation("logits", shape: [1, 13], quantization: Quantization(scale: 0.2, zeroPoint: 5))
        builder.addOperator(.fullyConnected(.make(inputScale: scale, filterScales: s4, outputScale: 0.2, outputZeroPoint: 5)),
                            inputs: [flat, w4, b4], outputs: [logits])
        return builder.finish(inputs: [input], outputs: [logits], metadata: ModelMetadata(name: "odd"))
    }

    static func outputs(_ model: Model, selection: KernelSelection, threads: Int, inputs: [[Int8]]) throws -> [[Int8]] {
        let interpreter = try Interpreter(model: model, threads: threads, kernels: selection)
        return inputs.map { values in
            for (index, value) in values.enumerated() { interpreter.input().int8[index] = value }
            interpreter.invoke()
            return (0..<interpreter.output().elementCount).map { interpreter.output().int8[$0] }
        }
    }

    @Test(arguments: ["tiny", "odd"])
    func everySelectionAndThreadCountGivesTheReferenceBits(modelName: String) throws {
        let model = modelName == "tiny" ? try ExampleModels.tinyCNN() : Self.oddModel()
        var generator = SeededGenerator(seed: 5)
        let count = model.tensors[Int(model.inputs[0])].shape.elementCount
        let inputs = (0..<3).map { _ in generator.int8Values(count) }
        let expected = try Self.outputs(model, selection: .reference, threads: 1, inputs: inputs)
        for selection in FastKernelSupport.selections + [.automatic] {
            for threads in FastKernelSupport.threadCounts {
                let actual = try Self.outputs(model, selection: selection, threads: threads, inputs: inputs)
                #expect(actual == expected, "\(modelName): \(selection.name), \(threads) threads")
            }
        }
    }

    @Test func scratchIsCountedInTheArena() throws {
        let model = Self.oddModel()
        let reference = try Interpreter(model: model, kernels: .reference)
        #expect(reference.scratchBytes == 0)
        let fast = try Interpreter(model: model, threads: 2, kernels: .portable)
        #expect(fast.scratchBytes > 0)
        #expect(fast.scratchBytes == Interpreter.scratchBytes(for: model, threads: 2, kernels: .portable))
        #expect(fast.arenaBytes == model.plan.size + fast.scratchBytes)
    }
}
