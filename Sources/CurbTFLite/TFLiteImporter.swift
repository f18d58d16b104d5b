import CurbModel

/// Imports a TFLite int8 model into a `.curb` model that computes the same bits as LiteRT's reference
/// kernels (`docs/tflite-import.md`).
///
/// Operators map one to one, with every integer parameter computed by the `CurbModel` factories as
/// TFLite's Prepare computes it; shape arithmetic is folded (shapes are static) and an unfused dilated
/// convolution (SPACE_TO_BATCH_ND … BATCH_TO_SPACE_ND) becomes one convolution. Constants keep TFLite's
/// layout (OHWI filters, `[1, KH, KW, C·m]` depthwise filters, `[O, D]` fully connected weights), which the
/// kernels use directly. Anything else is refused with a ``TFLiteImportError`` naming the operator.
///
/// Defaults, each overridable through ``TFLiteImportOptions``:
/// - labels: the label file appended to the `.tflite` (TFLite metadata) when its line count equals the
///   classes of the first output (its last dimension), else `class_0 … class_N-1`;
/// - recipe (for `[N, H, W, 3]` inputs): stretch, RGB, bilinear, and a pixel mapping that spreads 0…255
///   over the real range the input represents — for an int8 input with scale `s` and zero point `zp`,
///   `[(−128 − zp)·s, (127 − zp)·s]`, i.e. mean `128 + zp`, std `1/s` (pixel `p` quantizes to `p − 128`);
///   for a float32 input read by a QUANTIZE, that QUANTIZE's output range;
/// - name `model`; provenance `source` (the file name), `source_sha256`, `imported_by`.
public enum TFLiteImporter {
    /// Imports `model`, read by ``TFLiteReader`` from `fileBytes` (constants and label files are read from
    /// those bytes). The returned model has been validated.
    public static func importModel(_ model: TFLiteModel, fileBytes: UnsafeRawBufferPointer,
                                   options: TFLiteImportOptions = TFLiteImportOptions()) throws(TFLiteImportError) -> TFLiteImport {
        var importer = TFLiteGraphImporter(source: model, bytes: fileBytes)
        let graph = model.subgraph
        guard !graph.inputs.isEmpty, !graph.outputs.isEmpty else {
            throw TFLiteImportError("the graph has \(graph.inputs.count) inputs and \(graph.outputs.count) outputs",
                                    supported: "graphs with at least one input and one output")
        }
        guard graph.operators.count <= ModelValidator.maximumOperators, graph.tensors.count <= ModelValidator.maximumTensors else {
            throw TFLiteImportError("\(graph.operators.count) operators, \(graph.tensors.count) tensors",
                                    supported: "up to \(ModelValidator.maximumOperators) operators and \(ModelValidator.maximumTensors) tensors")
        }
        var inputs: [Int32] = []
        for tensor in graph.inputs {
            guard !importer.isConstant(tensor) else {
                throw TFLiteImportError("graph input is a constant", tensorIndex: tensor, supported: "activation inputs")
            }
            inputs.append(try importer.curbTensor(tensor))
        }
        for index in graph.operators.indices where !importer.folded.contains(index) {
            importer.currentOperator = index
            try importer.importOperator(index)
        }
        importer.currentOperator = nil
        var outputs: [Int32] = []
        for tensor in graph.outputs {
            guard importer.foldedValues[tensor] == nil else {
                throw TFLiteImportError("graph output is shape arithmetic folded at import", tensorIndex: tensor,
                                        supported: "outputs computed by supported operators")
            }
            outputs.append(try importer.curbTensor(tensor))
        }

        var notes: [String] = []
        let metadata = try Self.metadata(importer: importer, inputs: inputs, outputs: outputs, options: options, notes: &notes)
        let built = importer.builder.finish(inputs: inputs, outputs: outputs, metadata: metadata)
        do {
            try ModelValidator.validate(built)
        } catch {
            let source = error.operatorIndex.flatMap { $0 < importer.sourceOperators.count ? importer.sourceOperators[$0] : nil }
            throw TFLiteImportError("the imported graph is invalid: \(error)", operatorIndex: source,
                                    operatorName: source.flatMap { $0 >= 0 ? importer.operatorName($0) : nil },
                                    supported: TFLiteGraphImporter.supportedOperators, modelError: error)
        }
        var tensorIndices: [Int: Int] = [:]
        for (tflite, curb) in importer.curbIndices { tensorIndices[tflite] = Int(curb) }
        return TFLiteImport(model: built, tensorIndices: tensorIndices, sourceOperators: importer.sourceOperators, notes: notes)
    }

    /// Name, labels, recipe and provenance, from the options or the defaults documented above.
    static func metadata(importer: TFLiteGraphImporter, inputs: [Int32], outputs: [Int32], options: TFLiteImportOptions,
                         notes: inout [String]) throws(TFLiteImportError) -> ModelMetadata {
        let firstOutput = importer.tensor(outputs[0]).shape
        let classes = firstOutput.rank == 0 ? 1 : firstOutput[firstOutput.rank - 1]
        var labels: [String]
        if classes > ModelFileFormat.maximumLabels {
            // Not a classifier (or a hostile shape): no labels rather than millions of made-up ones.
            notes.append("the output has \(classes) classes, more than a model file holds labels for; no labels written")
            labels = []
        } else if let given = options.labels {
            guard given.count == classes else {
                throw TFLiteImportError("\(given.count) labels for \(classes) output classes", supported: "one label per class")
            }
            labels = given
        } else {
            labels = (0..<classes).map { "class_\($0)" }
            do {
                if let found = try TFLiteAssociatedFiles.labels(from: importer.bytes) {
                    if found.count == classes {
                        labels = found
                    } else {
                        notes.append("the label file has \(found.count) labels for \(classes) classes; using class_0…class_\(classes - 1)")
                    }
                }
            } catch {
                notes.append("the appended label file is unreadable (\(error)); using class_0…class_\(classes - 1)")
            }
        }

        var recipe: PreprocessingRecipe?
        let input = importer.tensor(inputs[0])
        if input.shape.rank == 4, input.shape[3] == 3 {
            var mapping = PreprocessingRecipe()
            if let mean = options.mean, let standardDeviation = options.standardDeviation {
                guard mean.count == 3, standardDeviation.count == 3, standardDeviation.allSatisfy({ $0 > 0 && $0.isFinite }),
                      mean.allSatisfy(\.isFinite) else {
                    throw TFLiteImportError("pixel mapping mean \(mean), std \(standardDeviation)",
                                            supported: "three finite means and three positive standard deviations")
                }
                (mapping.mean, mapping.standardDeviation) = (mean, standardDeviation)
            } else if let quantization = inputQuantization(importer: importer, input: inputs[0]) {
                // p ↦ (p − mean) / std must map 0 → (−128 − zp)·s and 255 → (127 − zp)·s:
                // std = 255 / (255·s) = 1/s and mean = (128 + zp), so p quantizes to exactly p − 128.
                mapping.mean = [Float](repeating: Float(128 + quantization.zeroPoint), count: 3)
                mapping.standardDeviation = [Float](repeating: 1 / quantization.scale, count: 3)
            } else {
                notes.append("the input's real range is unknown; the recipe maps pixels to [0, 1]")
            }
            mapping.colorOrder = options.colorOrder
            mapping.resizeMode = options.resizeMode
            mapping.interpolation = options.interpolation
            recipe = mapping
        }

        var provenance: [ModelMetadata.Entry] = []
        if let file = options.sourceFileName { provenance.append(.init("source", file)) }
        provenance.append(.init("source_sha256", SHA256.hexDigest(importer.bytes)))
        provenance.append(.init("imported_by", "curbside-train import (TFLite schema 3)"))
        return ModelMetadata(name: options.name ?? "model", labels: labels, preprocessing: recipe, provenance: provenance)
    }

    /// The quantization of an int8 input (which represents `[(−128 − zp)·s, (127 − zp)·s]`); for a float32
    /// input read only by a QUANTIZE, that of the QUANTIZE's output.
    static func inputQuantization(importer: TFLiteGraphImporter, input: Int32) -> (scale: Float, zeroPoint: Int32)? {
        var quantized = importer.tensor(input)
        if quantized.type == .float32 {
            let readers = importer.builder.operators.filter { $0.inputs.contains(input) }
            guard readers.count == 1, readers[0].kind == .quantize else { return nil }
            quantized = importer.tensor(readers[0].outputs[0])
        }
        guard quantized.type == .int8, let quantization = quantized.quantization, !quantization.isPerChannel else { return nil }
        return (quantization.scale, quantization.zeroPoint)
    }
}
