import Testing
import CurbModel

@Suite struct HardSwishOptionsTests {
    @Test func factoryAndDownScale() throws {
        // See HardSwishTests.factoryHandValues for the derivation.
        let options = try HardSwishOptions.make(inputScale: 1.0 / 16, outputScale: 1.0 / 16)
        #expect(options == HardSwishOptions(outputMultiplier: 16384, outputExponent: -6, reluishMultiplier: 21845, reluishExponent: 3))
        #expect(try roundTrip(options) == options)
        // (m + 2^15) >> 16, saturating near the top.
        #expect(HardSwishOptions.downScaleToInt16(1 << 30) == 16384)
        #expect(HardSwishOptions.downScaleToInt16(Int32.max - 10) == Int16.max)
        // An output scale below hires_input_scale would need a positive output exponent: refused (as in TFLite).
        #expect(throws: ModelError.self) { try HardSwishOptions.make(inputScale: 1, outputScale: 1.0 / 1024) }
    }

    @Test func validation() throws {
        let options = try HardSwishOptions.make(inputScale: 0.1, outputScale: 0.1)
        #expect(validationError(options, makeContext(.hardSwish, inputs: [int8Tensor([2, 2])], outputs: [int8Tensor([2, 2])])) == nil)
        #expect(validationError(options, makeContext(.hardSwish, inputs: [int8Tensor([2, 2])], outputs: [int8Tensor([4])])) == .shapeMismatch)
        let float = Tensor(name: "f", type: .float32, shape: TensorShape([4]))
        #expect(validationError(options, makeContext(.hardSwish, inputs: [float], outputs: [int8Tensor([4])])) == .wrongType)
    }
}
