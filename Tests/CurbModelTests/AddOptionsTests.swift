import Testing
import CurbModel

/// Builds an operator context over fresh tensors (inputs first, then outputs) for validation tests.
func makeContext(_ kind: OperatorKind, inputs: [Tensor], outputs: [Tensor]) -> OperatorContext {
    OperatorContext(operatorIndex: 0, kind: kind, inputIndices: (0..<inputs.count).map { Int32($0) },
                    outputIndices: (0..<outputs.count).map { Int32(inputs.count + $0) }, tensors: inputs + outputs)
}

/// An int8 activation tensor with one scale and zero point.
func int8Tensor(_ shape: [Int], scale: Float = 0.5, zeroPoint: Int32 = 0) -> Tensor {
    Tensor(name: "t", type: .int8, shape: TensorShape(shape), quantization: Quantization(scale: scale, zeroPoint: zeroPoint))
}

/// Encodes then decodes options, for round-trip checks.
func roundTrip<T: OperatorOptionsCoding>(_ options: T) throws -> T {
    var writer = ByteWriter()
    options.encode(into: &writer)
    let bytes = writer.bytes
    return try bytes.withUnsafeBytes { buffer throws(ModelError) -> T in
        var reader = ByteReader(buffer, section: "graph")
        let decoded = try T.decode(from: &reader)
        guard reader.remaining == 0 else { throw ModelError(.invalidValue, "trailing bytes") }
        return decoded
    }
}

/// The error code a validation throws, or nil when it passes.
func validationError<T: OperatorOptionsCoding>(_ options: T, _ context: OperatorContext) -> ModelError.Code? {
    do { try options.validate(context); return nil } catch { return error.code }
}

@Suite struct AddOptionsTests {
    @Test func factoryMatchesHandDerivation() throws {
        // s1 = s2 = s_out = 1: twice_max = 2 → M1 = M2 = 0.5 → (2^30, 0); Mo = 2 / 2^20 = 2^−19 → (2^30, −18).
        let options = try AddOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1, outputZeroPoint: 0)
        #expect(options.leftShift == 20)
        #expect(options.input1 == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(options.input2 == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(options.output == Requantization(multiplier: 1 << 30, shift: -18))
        #expect(options.activation == .int8)
        // s1 = 0.25, s2 = 1: M1 = 0.125 → (2^30, −2). ReLU with zp −5 clamps at −5.
        let mixed = try AddOptions.make(input1Scale: 0.25, input2Scale: 1, outputScale: 1, outputZeroPoint: -5, activation: .relu)
        #expect(mixed.input1 == Requantization(multiplier: 1 << 30, shift: -2))
        #expect(mixed.activation == ActivationRange(minimum: -5, maximum: 127))
        #expect(try roundTrip(mixed) == mixed)
        // An output scale so small that the output multiplier reaches 1 is refused, not a crash.
        #expect(throws: ModelError.self) { try AddOptions.make(input1Scale: 1, input2Scale: 1, outputScale: 1e-7, outputZeroPoint: 0) }
    }

    @Test func broadcastShapes() {
        func shape(_ a: [Int], _ b: [Int]) -> [Int]? { AddOptions.broadcastShape(TensorShape(a), TensorShape(b))?.dimensions }
        #expect(shape([2, 3], []) == [2, 3])
        #expect(shape([1], [2, 3]) == [2, 3])
        #expect(shape([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(shape([2, 3], [3, 2]) == nil)
        #expect(shape([1, 1, 1, 1, 1, 1], [2]) == [1, 1, 1, 1, 1, 2])
    }

    @Test func validation() throws {
        let options = try AddOptions.make(input1Scale: 0.5, input2Scale: 0.5, outputScale: 0.5, outputZeroPoint: 0)
        #expect(validationError(options, makeContext(.add, inputs: [int8Tensor([2, 3]), int8Tensor([])], outputs: [int8Tensor([2, 3])])) == nil)
        #expect(validationError(options, makeContext(.add, inputs: [int8Tensor([2, 3]), int8Tensor([1, 3])], outputs: [int8Tensor([2, 3])])) == nil)
        // Shapes that do not broadcast, or an output of the wrong shape.
        #expect(validationError(options, makeContext(.add, inputs: [int8Tensor([2, 3]), int8Tensor([2])], outputs: [int8Tensor([2, 3])])) == .shapeMismatch)
        #expect(validationError(options, makeContext(.add, inputs: [int8Tensor([2, 3]), int8Tensor([3])], outputs: [int8Tensor([3])])) == .shapeMismatch)
        // Wrong arity, wrong type, missing quantization, per-channel quantization.
        #expect(validationError(options, makeContext(.add, inputs: [int8Tensor([3])], outputs: [int8Tensor([3])])) == .wrongArity)
        let float = Tensor(name: "f", type: .float32, shape: TensorShape([3]))
        #expect(validationError(options, makeContext(.add, inputs: [float, int8Tensor([3])], outputs: [int8Tensor([3])])) == .wrongType)
        let unquantized = Tensor(name: "u", type: .int8, shape: TensorShape([3]))
        #expect(validationError(options, makeContext(.add, inputs: [unquantized, int8Tensor([3])], outputs: [int8Tensor([3])])) == .quantization)
        // A positive (left) shift on a smaller-than-one multiplier.
        var bad = options
        bad.output.shift = 1
        #expect(validationError(bad, makeContext(.add, inputs: [int8Tensor([3]), int8Tensor([3])], outputs: [int8Tensor([3])])) == .quantization)
    }
}
