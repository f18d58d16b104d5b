import CurbModel

/// Small models built with ``ModelBuilder`` from seeded random weights, for tests and for the example file
/// in `ModelFiles/` (which must stay byte-identical to ``tinyCNN()`` written by the writer).
public enum ExampleModels {
    /// A 16x16 RGB classifier with every kind of layer a board model has: conv (stride 2, SAME, ReLU6),
    /// depthwise conv, 1x1 conv, mean over height and width, reshape, fully connected and softmax.
    /// Weights are seeded random numbers: for trying tools, not for classifying anything.
    public static func tinyCNN() throws(ModelError) -> Model {
        var random = SeededGenerator(seed: 2026_11_23)
        var builder = ModelBuilder()
        let inputScale: Float = 1.0 / 128, inputZeroPoint: Int32 = 0
        let activationScale: Float = 6.0 / 255, activationZeroPoint: Int32 = -128

        let input = builder.addActivation("image", shape: [1, 16, 16, 3],
                                          quantization: Quantization(scale: inputScale, zeroPoint: inputZeroPoint))

        func filterScales(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: 0.004...0.02, using: &random) } }
        func weights(_ count: Int) -> [Int8] { random.int8Values(count, in: -127...127) }
        func biases(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32.random(in: -2000...2000, using: &random) } }

        // conv 3x3 stride 2 SAME, 3 → 8, ReLU6
        let conv1Scales = filterScales(8)
        let conv1Filter = builder.addConstant("conv1/filter", shape: [8, 3, 3, 3],
                                              quantization: Quantization(scales: conv1Scales, axis: 0), int8: weights(8 * 27))
        let conv1Bias = builder.addConstant("conv1/bias", shape: [8], int32: biases(8))
        let conv1Out = builder.addActivation("conv1", shape: [1, 8, 8, 8],
                                             quantization: Quantization(scale: activationScale, zeroPoint: activationZeroPoint))
        let same1 = Padding2D.resolve(.same, inputHeight: 16, inputWidth: 16, filterHeight: 3, filterWidth: 3,
                                      strideHeight: 2, strideWidth: 2)
        builder.addOperator(.conv2D(.make(inputScale: inputScale, filterScales: conv1Scales, outputScale: activationScale,
                                          outputZeroPoint: activationZeroPoint, outputChannels: 8, activation: .relu6,
                                          strideHeight: 2, strideWidth: 2, padding: same1.padding)),
                            inputs: [input, conv1Filter, conv1Bias], outputs: [conv1Out])

        // depthwise 3x3 SAME, 8 channels, ReLU6
        let depthwiseScales = filterScales(8)
        let depthwiseFilter = builder.addConstant("depthwise/filter", shape: [1, 3, 3, 8],
                                                  quantization: Quantization(scales: depthwiseScales, axis: 3), int8: weights(72))
        let depthwiseBias = builder.addConstant("depthwise/bias", shape: [8], int32: biases(8))
        let depthwiseOut = builder.addActivation("depthwise", shape: [1, 8, 8, 8],
                                                 quantization: Quantization(scale: activationScale, zeroPoint: activationZeroPoint))
        let same2 = Padding2D.resolve(.same, inputHeight: 8, inputWidth: 8, filterHeight: 3, filterWidth: 3)
        builder.addOperator(.depthwiseConv2D(.make(inputScale: activationScale, filterScales: depthwiseScales,
                                                   outputScale: activationScale, outputZeroPoint: activationZeroPoint,
                                                   outputChannels: 8, activation: .relu6, padding: same2.padding)),
                            inputs: [conv1Out, depthwiseFilter, depthwiseBias], outputs: [depthwiseOut])

        // conv 1x1, 8 → 16, ReLU
        let pointwiseScales = filterScales(16)
        let pointwiseFilter = builder.addConstant("pointwise/filter", shape: [16, 1, 1, 8],
                                                  quantization: Quantization(scales: pointwiseScales, axis: 0), int8: weights(128))
        let pointwiseBias = builder.addConstant("pointwise/bias", shape: [16], int32: biases(16))
        let pointwiseOut = builder.addActivation("pointwise", shape: [1, 8, 8, 16],
                                                 quantization: Quantization(scale: activationScale, zeroPoint: activationZeroPoint))
        builder.addOperator(.conv2D(.make(inputScale: activationScale, filterScales: pointwiseScales,
                                          outputScale: activationScale, outputZeroPoint: activationZeroPoint,
                                          outputChannels: 16, activation: .relu)),
                            inputs: [depthwiseOut, pointwiseFilter, pointwiseBias], outputs: [pointwiseOut])

        // mean over height and width, keeping dimensions; then flatten
        let pooledScale: Float = 3.0 / 255
        let pooled = builder.addActivation("pooled", shape: [1, 1, 1, 16],
                                           quantization: Quantization(scale: pooledScale, zeroPoint: -128))
        builder.addOperator(.mean(.make(axes: [1, 2], keepDims: true, inputScale: activationScale, outputScale: pooledScale)),
                            inputs: [pointwiseOut], outputs: [pooled])
        let flat = builder.addActivation("flat", shape: [1, 16], quantization: Quantization(scale: pooledScale, zeroPoint: -128))
        builder.addOperator(.reshape(ReshapeOptions()), inputs: [pooled], outputs: [flat])

        // fully connected 16 → 4, per-channel weights
        let denseScales = filterScales(4)
        let denseFilter = builder.addConstant("dense/filter", shape: [4, 16],
                                              quantization: Quantization(scales: denseScales, axis: 0), int8: weights(64))
        let denseBias = builder.addConstant("dense/bias", shape: [4], int32: biases(4))
        let logitScale: Float = 0.05
        let logits = builder.addActivation("logits", shape: [1, 4], quantization: Quantization(scale: logitScale, zeroPoint: 0))
        builder.addOperator(.fullyConnected(.make(inputScale: pooledScale, filterScales: denseScales, outputScale: logitScale,
                                                  outputZeroPoint: 0)),
                            inputs: [flat, denseFilter, denseBias], outputs: [logits])

        let probabilities = builder.addActivation("probabilities", shape: [1, 4],
                                                  quantization: Quantization(scale: 1.0 / 256, zeroPoint: -128))
        builder.addOperator(.softmax(try .make(inputScale: logitScale)), inputs: [logits], outputs: [probabilities])

        return builder.finish(inputs: [input], outputs: [probabilities], metadata: ModelMetadata(
            name: "example-tiny-cnn", version: "1", labels: ["bike", "car", "minibus", "truck"],
            preprocessing: .symmetricRange,
            provenance: [.init("weights", "seeded random numbers (seed 20261123): for trying the tools, not for classifying"),
                         .init("created_by", "CurbTestKit.ExampleModels.tinyCNN")]))
    }

    /// Seeded random int8 inputs for ``tinyCNN()``: `count` images, shape `[count, 16, 16, 3]`.
    public static func tinyCNNInput(count: Int) -> [Int8] {
        var random = SeededGenerator(seed: 7)
        return random.int8Values(count * 16 * 16 * 3)
    }
}
