import CurbModel
import Testing

@Suite struct MeanOptionsTests {
    typealias Help = Conv2DOptionsTests

    static func code(_ options: MeanOptions, _ input: Tensor, _ output: Tensor) -> ModelError.Code? {
        Help.failure { () throws(ModelError) in try Help.validate(options, inputs: [input], output: output) }
    }

    static let one = Requantization(multiplier: 1 << 30, shift: 1)

    @Test func axesAndOutputShapes() {
        let input = Help.activation([2, 5, 5, 8])
        #expect(Self.code(MeanOptions(axes: [1, 2], keepDims: true, requantization: Self.one), input, Help.activation([2, 1, 1, 8])) == nil)
        #expect(Self.code(MeanOptions(axes: [1, 2], keepDims: false, requantization: Self.one), input, Help.activation([2, 8])) == nil)
        #expect(Self.code(MeanOptions(axes: [0, 1, 2, 3], keepDims: false, requantization: Self.one), input, Help.activation([])) == nil)
        // The shape must follow keepDims.
        #expect(Self.code(MeanOptions(axes: [1, 2], keepDims: true, requantization: Self.one), input, Help.activation([2, 8])) == .shapeMismatch)
        #expect(Self.code(MeanOptions(axes: [1, 2], keepDims: false, requantization: Self.one), input, Help.activation([2, 1, 1, 8])) == .shapeMismatch)
        // Axes ascending, unique, inside the rank.
        #expect(Self.code(MeanOptions(axes: [2, 1], requantization: Self.one), input, Help.activation([2, 1, 1, 8])) == .invalidValue)
        #expect(Self.code(MeanOptions(axes: [1, 1], requantization: Self.one), input, Help.activation([2, 1, 5, 8])) == .invalidValue)
        #expect(Self.code(MeanOptions(axes: [4], requantization: Self.one), input, Help.activation([2, 5, 5, 8])) == .invalidValue)
        #expect(Self.code(MeanOptions(axes: [1, 2], requantization: Requantization(multiplier: -1, shift: 0)), input,
                          Help.activation([2, 1, 1, 8])) == .invalidValue)
    }

    @Test func encodeDecodeRoundTripAndRangeChecks() throws {
        let options = MeanOptions(axes: [1, 2], keepDims: false, requantization: Requantization(multiplier: 1_234_567_890, shift: -3))
        var writer = ByteWriter()
        options.encode(into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes, section: "graph")
            return try MeanOptions.decode(from: &reader)
        }
        #expect(decoded == options)
        // keep_dims must be 0 or 1; an axis beyond the largest rank is refused while reading.
        for (axes, keepDims): ([Int32], Int32) in [([1], 2), ([6], 1)] {
            var bad = ByteWriter()
            bad.int32Array(axes)
            bad.int32(keepDims)
            Requantization(multiplier: 1 << 30, shift: 0).encode(into: &bad)
            let code = bad.bytes.withUnsafeBytes { bytes -> ModelError.Code? in
                var reader = ByteReader(bytes, section: "graph")
                do throws(ModelError) { _ = try MeanOptions.decode(from: &reader); return nil } catch { return error.code }
            }
            #expect(code == .invalidValue)
        }
    }

    @Test func factoryUsesTheScaleRatio() {
        let options = MeanOptions.make(axes: [1, 2], keepDims: true, inputScale: 0.1, outputScale: 0.03)
        #expect(options.requantization == QuantizationMath.quantizeMultiplier(Double(Float(0.1)) / Double(Float(0.03))))
        #expect(options.axes == [1, 2] && options.keepDims)
    }
}
