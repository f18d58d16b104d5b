import Glibc
import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct LogisticTests {
    /// TFLite `LUTPopulateInt8` with the sigmoid transform, literally (float throughout, glibc `expf`).
    static func naiveTable(inputScale: Float, inputZeroPoint: Int32, outputScale: Float, outputZeroPoint: Int32) -> [Int8] {
        var table = [Int8](repeating: 0, count: 256)
        let inverseScale = 1 / outputScale
        for value in -128...127 {
            let dequantized: Float = inputScale * Float(value - Int(inputZeroPoint))
            let transformed: Float = 1.0 / (1.0 + expf(-dequantized))
            let rescaled: Float = roundf(transformed * inverseScale)
            let quantized = Int32(rescaled + Float(outputZeroPoint))
            table[Int(UInt8(bitPattern: Int8(value)))] = Int8(max(min(127, quantized), -128))
        }
        return table
    }

    @Test func tableEndpointsAndMidpoint() throws {
        // At x = zp_in, r = 0 → 1/2 · 256 = 128 → 128 − 128 = 0. Far above: t → 1 → 256 − 128 = 128 → 127.
        // Far below: t → 0 → −128.
        let options = try LookupTableOptions.logistic(inputScale: 0.25, inputZeroPoint: 10, outputScale: 1.0 / 256,
                                                      outputZeroPoint: -128)
        #expect(options.table[Int(UInt8(10))] == 0)
        #expect(options.table[Int(UInt8(bitPattern: 127))] == 127)
        #expect(options.table[Int(UInt8(bitPattern: -128))] == -128)
        // One step up (r = 0.25): sigmoid = 0.5622 → 143.9 → 144 − 128 = 16.
        #expect(options.table[Int(UInt8(11))] == 16)
    }

    @Test func lookupIndexesByUnsignedByte() {
        // A table holding its own index as a signed byte makes the kernel the identity, so −1 must read entry 255.
        let table = (0..<256).map { Int8(truncatingIfNeeded: $0) }
        let input = TestTensor(shape: [4], int8: [-1, 0, 127, -128], scale: 1)
        let output = TestTensor(shape: [4], scale: 1.0 / 256, zeroPoint: -128)
        LookupTableOptions(table: table).makeKernel(kind: .logistic, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.int8Values == [-1, 0, 127, -128])
    }

    @Test func randomizedTablesAgainstNaiveReference() throws {
        var generator = SeededGenerator(seed: 0x1061)
        for _ in 0..<50 {
            let scale = Float.random(in: 0.001...0.3, using: &generator)
            let zeroPoint = Int32.random(in: -128...127, using: &generator)
            let options = try LookupTableOptions.logistic(inputScale: scale, inputZeroPoint: zeroPoint,
                                                          outputScale: 1.0 / 256, outputZeroPoint: -128)
            let expected = Self.naiveTable(inputScale: scale, inputZeroPoint: zeroPoint, outputScale: 1.0 / 256, outputZeroPoint: -128)
            #expect(options.table == expected)
            let values = generator.int8Values(64)
            let input = TestTensor(shape: [8, 8], int8: values, scale: scale, zeroPoint: zeroPoint)
            let output = TestTensor(shape: [8, 8], scale: 1.0 / 256, zeroPoint: -128)
            options.makeKernel(kind: .logistic, inputs: [input.view], outputs: [output.view]).run()
            #expect(output.int8Values == values.map { expected[Int(UInt8(bitPattern: $0))] })
        }
    }
}
