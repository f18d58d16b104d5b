import Testing
@testable import CurbNumpy

@Suite struct NumpyArrayTests {
    @Test func roundTripsInt8AndFloat32() throws {
        let int8 = NumpyArray(shape: [2, 3], int8: [-128, -1, 0, 1, 2, 127])
        let decoded = try NumpyArray(decoding: int8.encoded())
        #expect(decoded == int8)
        #expect(decoded.int8Values == [-128, -1, 0, 1, 2, 127])

        let float = NumpyArray(shape: [3], float32: [-1.5, 0, 3.25])
        let decodedFloat = try NumpyArray(decoding: float.encoded())
        #expect(decodedFloat.float32Values == [-1.5, 0, 3.25])
        #expect(decodedFloat.shape == [3])
    }

    @Test func dataStartsOn64ByteBoundary() {
        let encoded = NumpyArray(shape: [1, 64, 64, 3], int8: [Int8](repeating: 0, count: 64 * 64 * 3)).encoded()
        #expect((encoded.count - 64 * 64 * 3) % 64 == 0)
    }

    /// Bytes exactly as `numpy.save` writes `np.array([[1, -2]], dtype=np.int8)` (numpy 2.x, version 1.0 header).
    @Test func readsNumpyWrittenHeader() throws {
        let header = "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 2), }"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let padded = header + String(repeating: " ", count: 128 - 10 - header.count - 1) + "\n"
        bytes += [UInt8(padded.utf8.count), 0] + Array(padded.utf8) + [1, 0xFE]
        let array = try NumpyArray(decoding: bytes)
        #expect(array.shape == [1, 2])
        #expect(array.int8Values == [1, -2])
    }

    @Test func scalarAndOneDimensionalShapes() throws {
        #expect(try NumpyArray.parseShape("()") == [])
        #expect(try NumpyArray.parseShape("(5,)") == [5])
        #expect(try NumpyArray.parseShape("(1, 224, 224, 3)") == [1, 224, 224, 3])
    }

    @Test func rejectsBadInputWithTheField() {
        func field(_ bytes: [UInt8]) -> String? {
            do { _ = try NumpyArray(decoding: bytes); return nil } catch { return error.field }
        }
        #expect(field([]) == "magic")
        #expect(field(Array("hello world, not npy".utf8)) == "magic")
        let good = NumpyArray(shape: [2], int8: [1, 2]).encoded()
        #expect(field(Array(good.dropLast())) == "data")
        #expect(field(good + [0]) == "data")
        var badVersion = good
        badVersion[6] = 9
        #expect(field(badVersion) == "version")
        #expect(field(good.replacingFirst("|i1", with: "<f8")) == "descr")
        #expect(field(good.replacingFirst("False", with: "True ")) == "fortran_order")
        // A shape whose product overflows must be refused before allocating.
        #expect(field(good.replacingFirst("(2,)", with: "(99999999999,9)")) == "shape")
    }

    @Test func everyTruncationIsRejected() {
        let good = NumpyArray(shape: [3, 5], float32: (0..<15).map(Float.init)).encoded()
        for length in 0..<good.count {
            #expect(throws: NumpyError.self) { try NumpyArray(decoding: Array(good[0..<length])) }
        }
    }
}

extension [UInt8] {
    /// Replaces the first occurrence of `target`'s bytes (header edits of the same length keep the layout).
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> [UInt8] {
        let needle = Array(target.utf8)
        for start in 0...(count - needle.count) where Array(self[start..<(start + needle.count)]) == needle {
            return Array(self[..<start]) + Array(replacement.utf8) + Array(self[(start + needle.count)...])
        }
        return self
    }
}
