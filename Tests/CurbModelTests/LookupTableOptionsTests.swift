import Testing
import CurbModel

@Suite struct LookupTableOptionsTests {
    @Test func logisticFactory() throws {
        // At q = zp_in the sigmoid is 1/2 → 128 − 128 = 0; the extremes saturate to −128 and 127.
        let options = try LookupTableOptions.logistic(inputScale: 0.1, inputZeroPoint: -20, outputScale: 1.0 / 256, outputZeroPoint: -128)
        #expect(options.table[Int(UInt8(bitPattern: -20))] == 0)
        #expect(options.table[Int(UInt8(bitPattern: 127))] == 127)
        #expect(options.table[Int(UInt8(bitPattern: -128))] == -128)
        // Monotonic in the input value.
        let ordered = (-128...127).map { options.table[Int(UInt8(bitPattern: Int8($0)))] }
        #expect(ordered == ordered.sorted())
        #expect(try roundTrip(options) == options)
    }

    @Test func validation() throws {
        let options = try LookupTableOptions.logistic(inputScale: 0.1, inputZeroPoint: 0, outputScale: 1.0 / 256, outputZeroPoint: -128)
        let good = int8Tensor([3], scale: 1.0 / 256, zeroPoint: -128)
        #expect(validationError(options, makeContext(.logistic, inputs: [int8Tensor([3])], outputs: [good])) == nil)
        #expect(validationError(options, makeContext(.logistic, inputs: [int8Tensor([3])],
                                                     outputs: [int8Tensor([3], scale: 1.0 / 256, zeroPoint: 0)])) == .quantization)
        #expect(validationError(options, makeContext(.logistic, inputs: [int8Tensor([4])], outputs: [good])) == .shapeMismatch)
    }

    @Test func decodeNeedsAllEntries() {
        let bytes = [UInt8](repeating: 0, count: 255)
        let code = bytes.withUnsafeBytes { buffer -> ModelError.Code? in
            var reader = ByteReader(buffer, section: "graph")
            do {
                _ = try LookupTableOptions.decode(from: &reader)
                return nil
            } catch {
                return (error as? ModelError)?.code
            }
        }
        #expect(code == .truncated)
    }
}
