@testable import CurbModel
import Testing

@Suite struct ModelWriterTests {
    @Test func headerFieldsAndAlignment() throws {
        let bytes = try SampleModels.convNetFile()
        #expect(Array(bytes[0..<4]) == [0x43, 0x55, 0x52, 0x42])  // "CURB"
        #expect(bytes[4] == 1 && bytes[5] == 0)  // major 1
        #expect(bytes[6] == 0 && bytes[7] == 0)  // minor 0
        #expect(bytes.count % 64 == 0)
        let size = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[16 + $1]) << UInt64(8 * $1) }
        #expect(size == UInt64(bytes.count))
        let sectionCount = (0..<4).reduce(0) { $0 | Int(bytes[12 + $1]) << (8 * $1) }
        #expect(sectionCount == 6)
        var ids: [UInt32] = []
        for entry in 0..<sectionCount {
            let base = 64 + entry * 24
            ids.append((0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[base + $1]) << UInt32(8 * $1) })
            let offset = (0..<8).reduce(0) { $0 | Int(bytes[base + 8 + $1]) << (8 * $1) }
            #expect(offset % 64 == 0)
            #expect(offset >= 64 + 6 * 24)
        }
        #expect(ids.sorted() == [1, 2, 3, 4, 5, 6])
    }

    @Test func checksumCoversWholeFileWithFieldZeroed() throws {
        var bytes = try SampleModels.convNetFile()
        let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[8 + $1]) << UInt32(8 * $1) }
        for index in 8..<12 { bytes[index] = 0 }
        #expect(CRC32.checksum(bytes) == stored)
    }

    @Test func deterministic() throws {
        #expect(try SampleModels.convNetFile() == SampleModels.convNetFile())
    }

    @Test func constantsSectionHoldsTheConstantBytes() throws {
        let model = SampleModels.convNet()
        let file = FileBuilder(model)
        let offset = file.offset(of: .constants)
        let bytes = try ModelWriter.write(model)
        #expect(Array(bytes[offset..<(offset + model.constants.count)]) == Array(model.constants.bytes))
    }

    @Test func validatesBeforeWriting() {
        var model = SampleModels.convNet()
        model.outputs = [99]
        let error = modelError { () throws(ModelError) in try ModelWriter.write(model) }
        #expect(error?.code == .outOfBounds)
        #expect(error?.field == "outputs")
    }

    @Test func refusesUnalignedConstant() {
        // The validator accepts any offset that is a multiple of the element width; the format wants 64.
        var model = SampleModels.convNet()
        var bytes = Array(model.constants.bytes)
        bytes.insert(contentsOf: [UInt8](repeating: 0, count: 4), at: 0)
        model.constants = ConstantData(bytes)
        for index in model.tensors.indices {
            if case .constant(let offset) = model.tensors[index].storage { model.tensors[index].storage = .constant(offset: offset + 4) }
        }
        let error = modelError { () throws(ModelError) in try ModelWriter.write(model) }
        #expect(error?.code == .badAlignment)
        #expect(error?.field == "offset")
        #expect(error?.section == "tensors")
    }

    @Test func refusesOverlongStrings() {
        var model = SampleModels.convNet()
        model.metadata.labels[1] = String(repeating: "x", count: ModelFileFormat.maximumStringBytes + 1)
        let error = modelError { () throws(ModelError) in try ModelWriter.write(model) }
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "labels")
    }

    @Test func refusesBadPreprocessing() {
        var model = SampleModels.convNet()
        model.metadata.preprocessing?.standardDeviation = [1, 0, 1]
        let error = modelError { () throws(ModelError) in try ModelWriter.write(model) }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == "preprocessing.standard_deviation")
    }

    /// Every options type's bytes decode back to the same options and use the whole record.
    @Test func everyOperatorsOptionsRoundTrip() throws {
        let requantization = Requantization(multiplier: 1_234_567_890, shift: -7)
        let samples: [OperatorOptions] = [
            .conv2D(Conv2DOptions(strideHeight: 2, strideWidth: 1, dilationHeight: 1, dilationWidth: 3,
                                  padding: Padding2D(top: 1, left: 2, bottom: 3, right: 4),
                                  activation: ActivationRange(minimum: -100, maximum: 100), requantization: [requantization, .zero])),
            .depthwiseConv2D(DepthwiseConv2DOptions(depthMultiplier: 2, requantization: [requantization])),
            .fullyConnected(FullyConnectedOptions(requantization: [requantization])),
            .add(AddOptions(input1: requantization, input2: .zero, output: requantization)),
            .mul(MulOptions(output: requantization)),
            .averagePool2D(Pool2DOptions(filterHeight: 3, filterWidth: 3)),
            .maxPool2D(Pool2DOptions(filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2)),
            .mean(MeanOptions(axes: [1, 2], requantization: requantization)),
            .softmax(SoftmaxOptions(inputMultiplier: 1_500_000_000, inputLeftShift: 21, diffMinimum: -992)),
            .logistic(LookupTableOptions(table: (0..<256).map { Int8(truncatingIfNeeded: $0 &* 7) })),
            .hardSwish(HardSwishOptions(outputMultiplier: 20_000, outputExponent: -3, reluishMultiplier: 30_000, reluishExponent: 2)),
            .relu(ReluOptions(requantization: requantization, activation: ActivationRange(minimum: -128, maximum: 127))),
            .relu6(ReluOptions(requantization: requantization, activation: ActivationRange(minimum: -10, maximum: 50))),
            .reshape(ReshapeOptions()),
            .pad(PadOptions(before: [0, 1, 1, 0], after: [0, 2, 2, 0], value: -128)),
            .concatenation(ConcatenationOptions(axis: 3)),
            .stridedSlice(StridedSliceOptions(begin: [0, 1], end: [1, -1], strides: [1, 2])),
            .quantize(QuantizeOptions(requantization: requantization)),
            .dequantize(DequantizeOptions()),
        ]
        #expect(Set(samples.map(\.kind)) == Set(OperatorKind.allCases))
        for options in samples {
            let bytes = ModelWriter.encodeOptions(options)
            let decoded = try bytes.withUnsafeBytes { (buffer) throws(ModelError) -> OperatorOptions in
                var reader = ByteReader(buffer, section: "graph")
                let value = try OperatorOptions.decode(kind: options.kind, from: &reader)
                #expect(reader.remaining == 0, "\(options.kind) left bytes unread")
                return value
            }
            #expect(decoded == options, "\(options.kind)")
        }
    }
}
