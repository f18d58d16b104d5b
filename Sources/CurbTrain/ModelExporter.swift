import CurbModel
import CurbRuntime
import Foundation

/// Turns a trained network into an int8 `.curb` model and checks the written file with the runtime.
///
/// Weights: per output channel symmetric int8 (`scale = max|w| / 127`, zero point 0). Biases: int32 with
/// scale `s_in · s_w[c]`. Activations: asymmetric int8 from calibrated ranges. The input is the recipe's
/// `p / 255` quantized with scale 1/255 and zero point −128, which is exactly `p − 128`: no input rounding.
public enum ModelExporter {
    /// The preprocessing the trainer uses for every model: pixels to [0, 1], stretched, bilinear.
    public static let recipe = PreprocessingRecipe.unitRange
    public static let inputQuantization = Quantization(scale: 1.0 / 255, zeroPoint: -128)
    /// The range choices tried, best measured int8 validation accuracy wins (ties: the earlier one).
    public static let methods: [ActivationCalibration.Method] = [.minMax, .percentile(99.999), .percentile(99.99), .percentile(99.9)]

    public struct Result {
        public var model: Model
        public var bytes: [UInt8]
        public var arenaBytes: Int
        public var floatAccuracy: Double
        public var int8Accuracy: Double
        /// Fraction of validation images where the int8 file and the float model pick the same class.
        public var agreement: Double
        public var calibration: String
        /// `confusion[true][predicted]` of the int8 file on the validation split.
        public var confusion: [[Int]]
    }

    /// Provenance facts about the data (licence and credit are the data set's own).
    public struct DatasetInfo: Sendable {
        public var name: String
        public var licence: String
        public var credit: String
        public init(name: String, licence: String = "", credit: String = "") {
            self.name = name
            self.licence = licence
            self.credit = credit
        }
    }

    /// Folds, calibrates on up to `calibrationCount` training images (seeded choice, no augmentation), tries
    /// each range method, and returns the best model with its verified numbers.
    public static func export(trainer: Trainer, dataset: DatasetInfo, command: String, calibrationCount: Int,
                              log: (String) -> Void = { _ in }) throws(TrainingError) -> Result {
        let folded = try FoldedNetwork(trainer.network)
        let images = trainer.images
        var generator = RandomSource(seed: trainer.configuration.seed ^ 0xCA11B)
        let calibrationIndices = Array(trainer.split.training.shuffled(using: &generator).prefix(calibrationCount)).sorted()
        let calibration = ActivationCalibration(network: folded, batches: batches(of: images, indices: calibrationIndices))
        let validation = trainer.split.validation.isEmpty ? trainer.split.training : trainer.split.validation
        let floatResult = trainer.evaluate(indices: validation)
        let labels = validation.map { images.labels[$0] }

        var best: (model: Model, accuracy: Double, predictions: [Int], method: ActivationCalibration.Method)?
        for method in methods {
            let model = try build(folded, calibration: calibration, method: method, images: images, metadata: ModelMetadata(name: ""))
            let predictions = try predict(model: model, images: images, indices: validation)
            let accuracy = Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(validation.count)
            log(String(format: "  int8 validation accuracy with %@ ranges: %.2f%%", method.description, accuracy * 100))
            if best == nil || accuracy > best!.accuracy { best = (model, accuracy, predictions, method) }
        }
        let chosen = best!
        let agreement = Double(zip(chosen.predictions, floatResult.predictions).filter { $0 == $1 }.count) / Double(validation.count)
        let configuration = trainer.configuration
        let percent = { (value: Double) in String(format: "%.2f%%", value * 100) }
        var provenance: [ModelMetadata.Entry] = [.init("dataset", dataset.name)]
        if !dataset.licence.isEmpty { provenance.append(.init("licence", dataset.licence)) }
        if !dataset.credit.isEmpty { provenance.append(.init("credit", dataset.credit)) }
        provenance += [
            .init("accuracy", "int8 top-1 \(percent(chosen.accuracy)) on the validation split (\(validation.count) images)"),
            .init("float_accuracy", percent(floatResult.accuracy)),
            .init("int8_accuracy", percent(chosen.accuracy)),
            .init("validation", "seeded stratified split: fraction \(configuration.validationFraction), seed \(configuration.seed)"),
            .init("architecture", "\(trainer.spec.name): \(trainer.network.parameterCount) parameters, \(trainer.macs) MACs"),
            .init("input_size", "\(images.width)x\(images.height)"),
            .init("seed", "\(configuration.seed)"),
            .init("epochs", "\(trainer.epochsCompleted) (best validation epoch \(trainer.bestEpoch))"),
            .init("calibration", "\(chosen.method) ranges on \(calibrationIndices.count) training images"),
            .init("command", command),
            .init("created_by", "curbside-train"),
        ]
        let metadata = ModelMetadata(name: trainer.spec.name, version: "1", labels: images.classNames, preprocessing: recipe,
                                     provenance: provenance)
        var model = chosen.model
        model.metadata = metadata
        let bytes: [UInt8]
        let reread: Model
        do {
            bytes = try ModelWriter.write(model)
            reread = try ModelReader.read(bytes)
        } catch {
            throw TrainingError("export: the model does not write and read back: \(error)")
        }
        // The written file itself is what is checked: its predictions must be the chosen model's.
        let filePredictions = try predict(model: reread, images: images, indices: validation)
        guard filePredictions == chosen.predictions else { throw TrainingError("export: the written file predicts differently from the built model") }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: images.classNames.count), count: images.classNames.count)
        for (label, predicted) in zip(labels, filePredictions) { confusion[label][predicted] += 1 }
        return Result(model: reread, bytes: bytes, arenaBytes: reread.plan.size, floatAccuracy: floatResult.accuracy,
                      int8Accuracy: chosen.accuracy, agreement: agreement, calibration: chosen.method.description, confusion: confusion)
    }

    /// Batches of 64 preprocessed images, in index order.
    static func batches(of images: ImageSet, indices: [Int]) -> [FloatTensor] {
        let loader = BatchLoader(images: images, indices: indices, batchSize: 64, shuffles: false, seed: 0)
        loader.startEpoch()
        return (0..<loader.batchCount).map { loader.batch($0).images }
    }

    /// The int8 model of `folded` with activation ranges from `calibration` under `method`.
    public static func build(_ folded: FoldedNetwork, calibration: ActivationCalibration, method: ActivationCalibration.Method,
                             images: ImageSet, metadata: ModelMetadata) throws(TrainingError) -> Model {
        var builder = ModelBuilder()
        var shape = [1, images.height, images.width, 3]
        var quantization = inputQuantization
        let input = builder.addActivation("image", shape: shape, quantization: quantization)
        var current = input
        for (index, stage) in folded.stages.enumerated() {
            let name = "\(index)"
            var outputQuantization = quantization
            if stage.hasOwnQuantization {
                let range = calibration.range(stage: index, method: method, activation: stage.activation)
                outputQuantization = ActivationCalibration.quantization(low: range.low, high: range.high)
            }
            let inputScale = quantization.scale
            let outputScale = outputQuantization.scale, outputZeroPoint = outputQuantization.zeroPoint
            switch stage.operation {
            case .conv2D(let conv):
                let (filter, scales) = quantizeWeights(conv.weights.value.values, channels: conv.outputChannels, channelIsLastAxis: false)
                let geometry = Padding2D.resolve(conv.padding, inputHeight: shape[1], inputWidth: shape[2], filterHeight: conv.filterHeight,
                                                 filterWidth: conv.filterWidth, strideHeight: conv.strideHeight, strideWidth: conv.strideWidth)
                let filterIndex = builder.addConstant("conv\(name)/filter", shape: conv.weights.value.shape,
                                                      quantization: Quantization(scales: scales, axis: 0), int8: filter)
                let biasIndex = builder.addConstant("conv\(name)/bias", shape: [conv.outputChannels],
                                                    int32: quantizeBias(conv.bias!.value.values, inputScale: inputScale, filterScales: scales))
                shape = [1, geometry.outputHeight, geometry.outputWidth, conv.outputChannels]
                let output = builder.addActivation("conv\(name)", shape: shape, quantization: outputQuantization)
                builder.addOperator(.conv2D(.make(inputScale: inputScale, filterScales: scales, outputScale: outputScale,
                                                  outputZeroPoint: outputZeroPoint, outputChannels: conv.outputChannels,
                                                  activation: stage.activation, strideHeight: Int32(conv.strideHeight),
                                                  strideWidth: Int32(conv.strideWidth), padding: geometry.padding)),
                                    inputs: [current, filterIndex, biasIndex], outputs: [output])
                current = output
            case .depthwiseConv2D(let depthwise):
                let (filter, scales) = quantizeWeights(depthwise.weights.value.values, channels: depthwise.channels, channelIsLastAxis: true)
                let geometry = Padding2D.resolve(depthwise.padding, inputHeight: shape[1], inputWidth: shape[2],
                                                 filterHeight: depthwise.filterHeight, filterWidth: depthwise.filterWidth,
                                                 strideHeight: depthwise.strideHeight, strideWidth: depthwise.strideWidth)
                let filterIndex = builder.addConstant("depthwise\(name)/filter", shape: depthwise.weights.value.shape,
                                                      quantization: Quantization(scales: scales, axis: 3), int8: filter)
                let biasIndex = builder.addConstant("depthwise\(name)/bias", shape: [depthwise.channels],
                                                    int32: quantizeBias(depthwise.bias!.value.values, inputScale: inputScale, filterScales: scales))
                shape = [1, geometry.outputHeight, geometry.outputWidth, depthwise.channels]
                let output = builder.addActivation("depthwise\(name)", shape: shape, quantization: outputQuantization)
                builder.addOperator(.depthwiseConv2D(.make(inputScale: inputScale, filterScales: scales, outputScale: outputScale,
                                                           outputZeroPoint: outputZeroPoint, outputChannels: depthwise.channels,
                                                           activation: stage.activation, strideHeight: Int32(depthwise.strideHeight),
                                                           strideWidth: Int32(depthwise.strideWidth), padding: geometry.padding)),
                                    inputs: [current, filterIndex, biasIndex], outputs: [output])
                current = output
            case .dense(let dense):
                let (filter, scales) = quantizeWeights(dense.weights.value.values, channels: dense.outputs, channelIsLastAxis: false)
                let filterIndex = builder.addConstant("dense\(name)/filter", shape: [dense.outputs, dense.inputs],
                                                      quantization: Quantization(scales: scales, axis: 0), int8: filter)
                let biasIndex = builder.addConstant("dense\(name)/bias", shape: [dense.outputs],
                                                    int32: quantizeBias(dense.bias!.value.values, inputScale: inputScale, filterScales: scales))
                shape = [1, dense.outputs]
                let output = builder.addActivation("dense\(name)", shape: shape, quantization: outputQuantization)
                // One scale per output (two classes at least): TFLite's per-channel FC path.
                builder.addOperator(.fullyConnected(.make(inputScale: inputScale, filterScales: scales,
                                                          outputScale: outputScale, outputZeroPoint: outputZeroPoint,
                                                          activation: stage.activation)),
                                    inputs: [current, filterIndex, biasIndex], outputs: [output])
                current = output
            case .maxPool(let pool):
                let geometry = Padding2D.resolve(pool.padding, inputHeight: shape[1], inputWidth: shape[2], filterHeight: pool.poolHeight,
                                                 filterWidth: pool.poolWidth, strideHeight: pool.strideHeight, strideWidth: pool.strideWidth)
                shape = [1, geometry.outputHeight, geometry.outputWidth, shape[3]]
                let output = builder.addActivation("maxpool\(name)", shape: shape, quantization: quantization)
                builder.addOperator(.maxPool2D(.make(filterHeight: Int32(pool.poolHeight), filterWidth: Int32(pool.poolWidth),
                                                     strideHeight: Int32(pool.strideHeight), strideWidth: Int32(pool.strideWidth),
                                                     padding: geometry.padding, outputScale: quantization.scale,
                                                     outputZeroPoint: quantization.zeroPoint)),
                                    inputs: [current], outputs: [output])
                current = output
            case .averagePool(let pool):
                let geometry = Padding2D.resolve(pool.padding, inputHeight: shape[1], inputWidth: shape[2], filterHeight: pool.poolHeight,
                                                 filterWidth: pool.poolWidth, strideHeight: pool.strideHeight, strideWidth: pool.strideWidth)
                shape = [1, geometry.outputHeight, geometry.outputWidth, shape[3]]
                let output = builder.addActivation("avgpool\(name)", shape: shape, quantization: quantization)
                builder.addOperator(.averagePool2D(.make(filterHeight: Int32(pool.poolHeight), filterWidth: Int32(pool.poolWidth),
                                                         strideHeight: Int32(pool.strideHeight), strideWidth: Int32(pool.strideWidth),
                                                         padding: geometry.padding, outputScale: quantization.scale,
                                                         outputZeroPoint: quantization.zeroPoint)),
                                    inputs: [current], outputs: [output])
                current = output
            case .globalAveragePool:
                let channels = shape[3]
                let pooled = builder.addActivation("mean\(name)", shape: [1, 1, 1, channels], quantization: quantization)
                builder.addOperator(.mean(.make(axes: [1, 2], keepDims: true, inputScale: quantization.scale, outputScale: quantization.scale)),
                                    inputs: [current], outputs: [pooled])
                shape = [1, channels]
                let flat = builder.addActivation("pooled\(name)", shape: shape, quantization: quantization)
                builder.addOperator(.reshape(ReshapeOptions()), inputs: [pooled], outputs: [flat])
                current = flat
            case .flatten:
                shape = [1, shape.dropFirst().reduce(1, *)]
                let flat = builder.addActivation("flatten\(name)", shape: shape, quantization: quantization)
                builder.addOperator(.reshape(ReshapeOptions()), inputs: [current], outputs: [flat])
                current = flat
            }
            quantization = outputQuantization
        }
        let probabilities = builder.addActivation("probabilities", shape: shape, quantization: Quantization(scale: 1.0 / 256, zeroPoint: -128))
        do {
            builder.addOperator(.softmax(try SoftmaxOptions.make(inputScale: quantization.scale)), inputs: [current], outputs: [probabilities])
        } catch {
            throw TrainingError("export: softmax: \(error)")
        }
        let model = builder.finish(inputs: [input], outputs: [probabilities], metadata: metadata)
        do {
            try ModelValidator.validate(model)
        } catch {
            throw TrainingError("export: the built model is invalid: \(error)")
        }
        return model
    }

    /// Symmetric per-channel int8: `scale_c = max|w_c| / 127`, `q = round(w / scale_c)` (a zero channel gets
    /// scale 1, its values are all 0 anyway).
    public static func quantizeWeights(_ weights: [Float], channels: Int, channelIsLastAxis: Bool) -> (values: [Int8], scales: [Float]) {
        let perChannel = weights.count / channels
        func channel(of index: Int) -> Int { channelIsLastAxis ? index % channels : index / perChannel }
        var largest = [Float](repeating: 0, count: channels)
        for index in weights.indices { largest[channel(of: index)] = max(largest[channel(of: index)], abs(weights[index])) }
        let scales = largest.map { $0 > 0 ? $0 / 127 : 1 }
        let values = weights.indices.map { index -> Int8 in
            let q = (weights[index] / scales[channel(of: index)]).rounded(.toNearestOrAwayFromZero)
            return Int8(min(127, max(-127, q)))
        }
        return (values, scales)
    }

    /// int32 biases with scale `s_in · s_w[c]` (computed in Double, rounded half away from zero, saturated).
    public static func quantizeBias(_ bias: [Float], inputScale: Float, filterScales: [Float]) -> [Int32] {
        bias.indices.map { c in
            let q = (Double(bias[c]) / (Double(inputScale) * Double(filterScales[c]))).rounded(.toNearestOrAwayFromZero)
            return Int32(min(Double(Int32.max), max(Double(Int32.min), q)))
        }
    }

    /// Runs the int8 model over preprocessed images: each float input is quantized as the runtime's
    /// preprocessor does (`clamp(round_half_away(x / s) + zp)`), then invoked; returns each argmax.
    public static func predict(model: Model, images: ImageSet, indices: [Int]) throws(TrainingError) -> [Int] {
        let interpreter: Interpreter
        do {
            interpreter = try Interpreter(model: model)
        } catch {
            throw TrainingError("export: the runtime refuses the model: \(error)")
        }
        let input = interpreter.input(), output = interpreter.output()
        let scale = input.scale, zeroPoint = Float(input.zeroPoint)
        let perImage = images.valuesPerImage
        precondition(input.elementCount == perImage, "model input does not match the images")
        let classes = output.elementCount
        var predictions: [Int] = []
        predictions.reserveCapacity(indices.count)
        images.pixels.withUnsafeBufferPointer { pixels in
            for index in indices {
                let source = pixels.baseAddress! + index * perImage
                let destination = input.int8
                for offset in 0..<perImage {
                    let q = (source[offset] / scale).rounded(.toNearestOrAwayFromZero) + zeroPoint
                    destination[offset] = Int8(min(127, max(-128, q)))
                }
                interpreter.invoke()
                var best = 0
                for k in 1..<classes where output.int8[k] > output.int8[best] { best = k }
                predictions.append(best)
            }
        }
        return predictions
    }
}
