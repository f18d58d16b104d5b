import CurbModel
import Testing

@Suite struct Conv2DOptionsTests {
    // MARK: Helpers shared by the option tests of this target

    static func activation(_ shape: [Int], scale: Float = 0.5, zeroPoint: Int32 = 0) -> Tensor {
        Tensor(name: "a", type: .int8, shape: TensorShape(shape), quantization: Quantization(scale: scale, zeroPoint: zeroPoint))
    }

    static func filter(_ shape: [Int], scales: Int = 1, axis: Int32 = 0, zeroPoint: Int32 = 0) -> Tensor {
        Tensor(name: "w", type: .int8, shape: TensorShape(shape),
               quantization: Quantization(scales: [Float](repeating: 0.01, count: scales), zeroPoint: zeroPoint, axis: axis),
               storage: .constant(offset: 0))
    }

    static func bias(_ count: Int, type: ElementType = .int32) -> Tensor {
        Tensor(name: "b", type: type, shape: TensorShape([count]), storage: .constant(offset: 0))
    }

    /// Validates `options` for an operator whose inputs are `inputs` (nil: absent) and whose output is `output`.
    static func validate(_ options: some OperatorOptionsCoding, inputs: [Tensor?], output: Tensor) throws(ModelError) {
        var tensors: [Tensor] = []
        var inputIndices: [Int32] = []
        for tensor in inputs {
            if let tensor { tensors.append(tensor); inputIndices.append(Int32(tensors.count - 1)) } else { inputIndices.append(-1) }
        }
        tensors.append(output)
        try options.validate(OperatorContext(operatorIndex: 3, kind: type(of: options).kind, inputIndices: inputIndices,
                                             outputIndices: [Int32(tensors.count - 1)], tensors: tensors))
    }

    /// The error code `body` throws, or nil.
    static func failure(_ body: () throws(ModelError) -> Void) -> ModelError.Code? {
        do { try body(); return nil } catch { return error.code }
    }

    static func identity(_ count: Int) -> [Requantization] {
        [Requantization](repeating: Requantization(multiplier: 1 << 30, shift: 1), count: count)
    }

    // MARK: QuantizationMath facts the factories rely on

    @Test func knownMultipliers() {
        #expect(QuantizationMath.quantizeMultiplier(0.5) == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(QuantizationMath.quantizeMultiplier(0.25) == Requantization(multiplier: 1 << 30, shift: -1))
        #expect(QuantizationMath.quantizeMultiplier(1) == Requantization(multiplier: 1 << 30, shift: 1))
        // 0.75 = 0.75 · 2^0 → round(0.75 · 2^31) = 1610612736.
        #expect(QuantizationMath.quantizeMultiplier(0.75) == Requantization(multiplier: 1_610_612_736, shift: 0))
        // Just below 1: the fraction rounds up to 2^31, which TFLite halves and compensates in the exponent.
        #expect(QuantizationMath.quantizeMultiplier(1 - 0x1p-40) == Requantization(multiplier: 1 << 30, shift: 1))
    }

    // MARK: Factory

    @Test func factoryMatchesThePerChannelFormula() {
        let (inputScale, outputScale): (Float, Float) = (0.0235, 0.0517)
        let filterScales: [Float] = [0.0031, 0.00071, 0.0123]
        let options = Conv2DOptions.make(inputScale: inputScale, filterScales: filterScales, outputScale: outputScale, outputZeroPoint: -3,
                                         outputChannels: 3, activation: .relu6, strideHeight: 2, padding: Padding2D(top: 1, left: 0, bottom: 1, right: 0))
        for channel in 0..<3 {
            // double(s_in) · double(s_w[c]) / double(s_out), left to right, then QuantizeMultiplier.
            let real = Double(inputScale) * Double(filterScales[channel]) / Double(outputScale)
            #expect(options.requantization[channel] == QuantizationMath.quantizeMultiplier(real))
            // And the pair really encodes the real multiplier: q · 2^(s − 31) within half a unit of 2^(s − 31).
            let r = options.requantization[channel]
            let decoded = Double(r.multiplier) * Double(sign: .plus, exponent: Int(r.shift) - 31, significand: 1)
            #expect(abs(decoded - real) <= Double(sign: .plus, exponent: Int(r.shift) - 32, significand: 1))
            #expect(r.multiplier >= 1 << 30)
        }
        #expect(options.activation == QuantizationMath.activationRange(.relu6, scale: outputScale, zeroPoint: -3))
        #expect(options.strideHeight == 2 && options.padding.top == 1)
        // One filter scale is broadcast to every channel.
        let broadcast = Conv2DOptions.make(inputScale: inputScale, filterScales: [0.0031], outputScale: outputScale, outputZeroPoint: 0,
                                           outputChannels: 4)
        #expect(broadcast.requantization == [Requantization](repeating: options.requantization[0], count: 4))
    }

    @Test func encodeDecodeRoundTrip() throws {
        let options = Conv2DOptions(strideHeight: 2, strideWidth: 3, dilationHeight: 1, dilationWidth: 2,
                                    padding: Padding2D(top: 1, left: 2, bottom: 3, right: 4),
                                    activation: ActivationRange(minimum: -5, maximum: 100), requantization: Self.identity(3))
        var writer = ByteWriter()
        options.encode(into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes, section: "graph")
            return try Conv2DOptions.decode(from: &reader)
        }
        #expect(decoded == options)
    }

    // MARK: Validation

    @Test func acceptsAGroupedStridedConvolution() throws {
        // Input 7×5×6, filter [4, 3, 3, 3] → 2 groups; stride 2, padding 1: (7 + 2 − 3) / 2 + 1 = 4, (5 + 2 − 3) / 2 + 1 = 3.
        let options = Conv2DOptions(strideHeight: 2, strideWidth: 2, padding: Padding2D(top: 1, left: 1, bottom: 1, right: 1),
                                    requantization: Self.identity(4))
        try Self.validate(options, inputs: [Self.activation([2, 7, 5, 6]), Self.filter([4, 3, 3, 3], scales: 4), Self.bias(4)],
                          output: Self.activation([2, 4, 3, 4]))
        // Bias is optional.
        try Self.validate(options, inputs: [Self.activation([2, 7, 5, 6]), Self.filter([4, 3, 3, 3]), nil],
                          output: Self.activation([2, 4, 3, 4]))
    }

    @Test func rejectsBadShapesAndQuantization() {
        let options = Conv2DOptions(requantization: Self.identity(4))
        let input = Self.activation([1, 5, 5, 6])
        let output = Self.activation([1, 3, 3, 4])
        func code(_ inputs: [Tensor?], _ out: Tensor = output, _ opts: Conv2DOptions = options) -> ModelError.Code? {
            Self.failure { () throws(ModelError) in try Self.validate(opts, inputs: inputs, output: out) }
        }
        #expect(code([input, Self.filter([4, 3, 3, 3], scales: 4)]) == nil)
        // 6 input channels are not a multiple of 4 filter channels.
        #expect(code([input, Self.filter([4, 3, 3, 4])]) == .shapeMismatch)
        // 3 output channels are not a multiple of 2 groups.
        #expect(code([input, Self.filter([3, 3, 3, 3])], Self.activation([1, 3, 3, 3]), Conv2DOptions(requantization: Self.identity(3))) == .shapeMismatch)
        // Output one row too tall.
        #expect(code([input, Self.filter([4, 3, 3, 3])], Self.activation([1, 4, 3, 4])) == .shapeMismatch)
        // Requantization count must equal the output channels.
        #expect(code([input, Self.filter([4, 3, 3, 3])], output, Conv2DOptions(requantization: Self.identity(1))) == .invalidValue)
        // Per-channel scales along the wrong axis; asymmetric filter.
        #expect(code([input, Self.filter([4, 3, 3, 3], scales: 3, axis: 3)]) == .quantization)
        #expect(code([input, Self.filter([4, 3, 3, 3], zeroPoint: 1)]) == .quantization)
        // Bias of the wrong length or type.
        #expect(code([input, Self.filter([4, 3, 3, 3]), Self.bias(3)]) == .shapeMismatch)
        #expect(code([input, Self.filter([4, 3, 3, 3]), Self.bias(4, type: .int8)]) == .wrongType)
        // A window larger than the padded input.
        #expect(code([Self.activation([1, 2, 5, 6]), Self.filter([4, 3, 3, 3])]) == .shapeMismatch)
        // Fields a decoder would have refused, in an in-memory model.
        var zeroStride = options
        zeroStride.strideWidth = 0
        #expect(code([input, Self.filter([4, 3, 3, 3])], output, zeroStride) == .invalidValue)
        var inverted = options
        inverted.activation = ActivationRange(minimum: 10, maximum: -10)
        #expect(code([input, Self.filter([4, 3, 3, 3])], output, inverted) == .invalidValue)
        var badShift = options
        badShift.requantization[2].shift = 31
        #expect(code([input, Self.filter([4, 3, 3, 3])], output, badShift) == .invalidValue)
        // Input without quantization; float output.
        #expect(code([Tensor(name: "x", type: .int8, shape: TensorShape([1, 5, 5, 6])), Self.filter([4, 3, 3, 3])]) == .quantization)
        #expect(code([input, Self.filter([4, 3, 3, 3])], Tensor(name: "y", type: .float32, shape: TensorShape([1, 3, 3, 4]))) == .wrongType)
    }

    @Test func errorsAreLocated() {
        let options = Conv2DOptions(requantization: Self.identity(4))
        do {
            try Self.validate(options, inputs: [Self.activation([1, 5, 5, 6]), Self.filter([4, 3, 3, 3])], output: Self.activation([1, 4, 3, 4]))
            Issue.record("expected a shape error")
        } catch {
            #expect(error.section == "graph" && error.operatorIndex == 3 && error.tensorIndex == 2 && error.field == "shape")
        }
    }
}
