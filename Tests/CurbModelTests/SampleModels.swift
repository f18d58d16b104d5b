@testable import CurbModel
import CurbTestKit

/// Small, genuinely consistent models for the codec tests (shapes and quantization follow TFLite's int8
/// rules, so they stay valid as the operators' own validation rules get stricter).
enum SampleModels {
    /// conv 3×3 SAME (+ReLU) → max pool 2×2/2 → reshape → fully connected.
    ///
    /// input [1,8,8,3] → conv [1,8,8,4] → pool [1,4,4,4] → reshape [1,64] → fully connected [1,3].
    static func convNet(seed: UInt64 = 1) -> Model {
        var random = SeededGenerator(seed: seed)
        var builder = ModelBuilder()
        let inputScale: Float = 0.02, inputZero: Int32 = -3
        let filterScales: [Float] = [0.01, 0.02, 0.015, 0.005]
        let convScale: Float = 0.05, convZero: Int32 = 5
        let input = builder.addActivation("input", shape: [1, 8, 8, 3], quantization: Quantization(scale: inputScale, zeroPoint: inputZero))
        let filter = builder.addConstant("conv/filter", shape: [4, 3, 3, 3],
                                         quantization: Quantization(scales: filterScales, axis: 0),
                                         int8: random.int8Values(4 * 3 * 3 * 3, in: -127...127))
        // Bias scale = input scale · filter scale, per channel (TFLite's int8 conv rule).
        let biasScales = filterScales.map { Float(Double(inputScale) * Double($0)) }
        let bias = builder.addConstant("conv/bias", shape: [4], quantization: Quantization(scales: biasScales, axis: 0),
                                       int32: (0..<4).map { _ in Int32.random(in: -2000...2000, using: &random) })
        let conv = builder.addActivation("conv", shape: [1, 8, 8, 4], quantization: Quantization(scale: convScale, zeroPoint: convZero))
        let convRequantization = filterScales.map {
            QuantizationMath.quantizeMultiplier(Double(inputScale) * Double($0) / Double(convScale))
        }
        builder.addOperator(.conv2D(Conv2DOptions(padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1),
                                                  activation: QuantizationMath.activationRange(.relu, scale: convScale, zeroPoint: convZero),
                                                  requantization: convRequantization)),
                            inputs: [input, filter, bias], outputs: [conv])

        let pool = builder.addActivation("pool", shape: [1, 4, 4, 4], quantization: Quantization(scale: convScale, zeroPoint: convZero))
        builder.addOperator(.maxPool2D(Pool2DOptions(filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2)),
                            inputs: [conv], outputs: [pool])

        let flat = builder.addActivation("flat", shape: [1, 64], quantization: Quantization(scale: convScale, zeroPoint: convZero))
        builder.addOperator(.reshape(ReshapeOptions()), inputs: [pool], outputs: [flat])

        let weightScale: Float = 0.01, outputScale: Float = 0.1, outputZero: Int32 = -10
        let weights = builder.addConstant("fc/weights", shape: [3, 64], quantization: Quantization(scale: weightScale, zeroPoint: 0),
                                          int8: random.int8Values(3 * 64, in: -127...127))
        let fcBias = builder.addConstant("fc/bias", shape: [3],
                                         quantization: Quantization(scale: Float(Double(convScale) * Double(weightScale)), zeroPoint: 0),
                                         int32: [100, -250, 7])
        let output = builder.addActivation("logits", shape: [1, 3], quantization: Quantization(scale: outputScale, zeroPoint: outputZero))
        builder.addOperator(.fullyConnected(FullyConnectedOptions(
                                requantization: [QuantizationMath.quantizeMultiplier(Double(convScale) * Double(weightScale) / Double(outputScale))])),
                            inputs: [flat, weights, fcBias], outputs: [output])

        let metadata = ModelMetadata(
            name: "sample-convnet", version: "1.2", labels: ["car", "bus", "bicycle"],
            preprocessing: PreprocessingRecipe(colorOrder: .bgr, resizeMode: .centerCrop, interpolation: .area,
                                               mean: [127.5, 127.5, 127.5], standardDeviation: [127.5, 127.5, 127.5]),
            provenance: [.init("dataset", "vehicles6"), .init("licence", "CC BY 4.0"), .init("accuracy", "0.91")])
        return builder.finish(inputs: [input], outputs: [output], metadata: metadata)
    }

    /// The sample model's file bytes.
    static func convNetFile() throws -> [UInt8] {
        try ModelWriter.write(convNet())
    }

    /// Field-by-field equality, constants compared by content.
    static func equal(_ a: Model, _ b: Model) -> Bool {
        a.tensors == b.tensors && a.operators == b.operators && a.inputs == b.inputs && a.outputs == b.outputs
            && a.plan == b.plan && a.metadata == b.metadata && Array(a.constants.bytes) == Array(b.constants.bytes)
    }
}

/// Builds `.curb` files section by section, for tests that need bytes the writer would never produce.
struct FileBuilder {
    var sections: [ModelWriter.Section]
    var major = ModelFileFormat.majorVersion
    var minor = ModelFileFormat.minorVersion

    /// The sections of a (possibly invalid) model, encoded without validation.
    init(_ model: Model) {
        sections = ModelWriter.encodeSections(model)
    }

    var bytes: [UInt8] { ModelWriter.assemble(sections, major: major, minor: minor) }

    /// Replaces one section's content.
    mutating func replace(_ id: ModelFileFormat.SectionID, with bytes: [UInt8]) {
        let index = sections.firstIndex { $0.id == id.rawValue }!
        sections[index].bytes = bytes
    }

    func content(_ id: ModelFileFormat.SectionID) -> [UInt8] {
        sections.first { $0.id == id.rawValue }!.bytes
    }

    /// Where a section starts in ``bytes``.
    func offset(of id: ModelFileFormat.SectionID) -> Int {
        let file = bytes
        let count = Int(file[12]) | Int(file[13]) << 8
        for entry in 0..<count {
            let base = ModelFileFormat.headerSize + entry * ModelFileFormat.sectionEntrySize
            if UInt32(file[base]) == id.rawValue {
                return (0..<8).reduce(0) { $0 | Int(file[base + 8 + $1]) << (8 * $1) }
            }
        }
        fatalError("no section \(id)")
    }
}

extension Array where Element == UInt8 {
    /// Overwrites little-endian bytes at `offset`.
    mutating func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<MemoryLayout<T>.size { self[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// Recomputes the header's CRC-32 so checks after it are reached.
    mutating func reseal() { ModelWriter.seal(&self) }
}

/// Runs `body` and returns the ``ModelError`` it throws (nil if it succeeds).
func modelError<T>(_ body: () throws(ModelError) -> T) -> ModelError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
