import Testing
@testable import CurbTFLite

/// The bounds-checked flatbuffer accessor, on hand-made buffers (layouts written byte by byte).
@Suite struct FlatBufferTableTests {
    /// Reads the root table of `b` (identifier TFL3) and hands it to `body`.
    func withRoot<R>(_ b: HandBuffer, _ body: (FlatBufferTable) throws(TFLiteError) -> R) throws(TFLiteError) -> R {
        // withUnsafeBytes rethrows untyped errors, so the typed error travels out in a Result.
        let result = b.bytes.withUnsafeBytes { (raw) -> Result<R, TFLiteError> in
            do throws(TFLiteError) { return .success(try body(try FlatBuffer(raw).rootTable(named: "Root", identifier: "TFL3"))) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    func error(_ b: HandBuffer, _ body: (FlatBufferTable) throws(TFLiteError) -> Void) -> TFLiteError? {
        do { try withRoot(b, body); return nil } catch { return error }
    }

    @Test func scalarsPresentAbsentAndBeyondTheVTable() throws {
        var b = HandBuffer()
        let root = b.table([.i32(0, -7), .u8(2, 1), .u64(3, 0x0102_0304_0506_0708)])
        b.link(0, to: root.position)
        try withRoot(b) { (table) throws(TFLiteError) in
            #expect(try table.scalar(0, "a", default: Int32(5)) == -7)
            #expect(try table.scalar(1, "absent", default: Int32(5)) == 5)  // offset 0 in the vtable
            #expect(try table.bool(2, "flag", default: false) == true)
            #expect(try table.scalar(3, "wide", default: UInt64(0)) == 0x0102_0304_0506_0708)
            #expect(try table.scalar(9, "beyond", default: Int8(-3)) == -3)  // id past the vtable's end
            #expect(try table.float32(9, "beta", default: 1.5) == 1.5)
            #expect(try table.string(9, "name") == nil)
        }
    }

    @Test func stringsVectorsAndUnions() throws {
        var b = HandBuffer()
        let root = b.table([.offset(0), .offset(1), .u8(2, 4), .offset(3)])
        b.link(0, to: root.position)
        b.link(root.fields[0]!, to: b.string(Array("héllo".utf8)))
        b.link(root.fields[1]!, to: b.vector32([1, 0xFFFF_FFFF, 3]))
        let member = b.table([.i32(0, 42)])
        b.link(root.fields[3]!, to: member.position)
        try withRoot(b) { (table) throws(TFLiteError) in
            #expect(try table.string(0, "name") == "héllo")
            let vector = try table.vector(1, "values", elementSize: 4)
            #expect(try vector?.integers(Int32.self) == [1, -1, 3])
            let union = try table.union(2, "options") { "Member\($0)" }
            #expect(union.type == 4)
            #expect(try union.table?.scalar(0, "x", default: Int32(0)) == 42)
            #expect(union.table?.name == "Member4")
        }
    }

    @Test func tooShortAndWrongIdentifier() {
        let short = HandBuffer(identifier: nil)  // 4 bytes only
        #expect(error(short) { _ in }?.code == .truncated)
        var wrong = HandBuffer(identifier: "TFL2")
        wrong.link(0, to: wrong.table([]).position)
        #expect(error(wrong) { _ in }?.code == .badIdentifier)
    }

    /// A root offset of 0 makes the root table start at byte 0, whose vtable offset (the same 4 zero bytes)
    /// points at itself: a self-loop, refused because that "vtable" claims 0 bytes.
    @Test func selfReferentialRootIsRefused() {
        var b = HandBuffer()
        b.table([.i32(0, 1)])
        let error = error(b) { _ in }
        #expect(error?.code == .badVTable)
        #expect(error?.field == "vtable size")
    }

    @Test func vtableOutsideTheBuffer() {
        var b = HandBuffer()
        let root = b.table([.i32(0, 1)])
        b.link(0, to: root.position)
        b.patch(Int32(root.position + 1000), at: root.position)  // vtable before byte 0
        #expect(error(b) { _ in }?.code == .outOfBounds)
        b.patch(Int32(-1000), at: root.position)  // vtable past the end
        #expect(error(b) { _ in }?.code == .outOfBounds)
    }

    @Test func malformedVTableSizes() {
        var b = HandBuffer()
        let root = b.table([.i32(0, 1)])
        b.link(0, to: root.position)
        let vtable = root.position - 8  // vtable of one field: 6 bytes, padded to 8 before the table
        var odd = b
        odd.patch(UInt16(5), at: vtable)
        #expect(error(odd) { _ in }?.code == .badVTable)
        var tiny = b
        tiny.patch(UInt16(2), at: vtable)
        #expect(error(tiny) { _ in }?.code == .badVTable)
        var huge = b
        huge.patch(UInt16(0xFFFE), at: vtable)
        #expect(error(huge) { _ in }?.code == .badVTable)
        var inline = b
        inline.patch(UInt16(0xFFF0), at: vtable + 2)  // table size past the end
        #expect(error(inline) { _ in }?.code == .badVTable)
        var field = b
        field.patch(UInt16(6), at: vtable + 4)  // field 0 at 6..<10 but the table has 8 bytes
        let fieldError = error(field) { (table) throws(TFLiteError) in _ = try table.scalar(0, "a", default: Int32(0)) }
        #expect(fieldError?.code == .badVTable)
        #expect(fieldError?.field == "a")
        var overlap = b
        overlap.patch(UInt16(2), at: vtable + 4)  // field over the table's own vtable reference
        #expect(error(overlap) { (table) throws(TFLiteError) in _ = try table.scalar(0, "a", default: Int16(0)) }?.code == .badVTable)
    }

    @Test func hugeVectorLengthIsRefusedBeforeAllocating() {
        var b = HandBuffer()
        let root = b.table([.offset(0)])
        b.link(0, to: root.position)
        let vector = b.vector32([1, 2])
        b.link(root.fields[0]!, to: vector)
        b.patch(UInt32.max, at: vector)
        let error = error(b) { (table) throws(TFLiteError) in _ = try table.vector(0, "values", elementSize: 4) }
        #expect(error?.code == .outOfBounds)
        #expect(error?.field == "values")
        #expect(error?.offset == vector)
    }

    @Test func offsetPastTheEnd() {
        var b = HandBuffer()
        let root = b.table([.offset(0)])
        b.link(0, to: root.position)
        b.patch(UInt32(0x7FFF_FFF0), at: root.fields[0]!)
        #expect(error(b) { (table) throws(TFLiteError) in _ = try table.string(0, "name") }?.code == .outOfBounds)
    }

    @Test func badStrings() {
        func stringError(_ utf8: [UInt8], terminated: Bool = true, length: UInt32? = nil) -> TFLiteError? {
            var b = HandBuffer()
            let root = b.table([.offset(0)])
            b.link(0, to: root.position)
            let string = b.string(utf8, terminated: terminated)
            b.link(root.fields[0]!, to: string)
            if let length { b.patch(length, at: string) }
            return error(b) { (table) throws(TFLiteError) in _ = try table.string(0, "name") }
        }
        #expect(stringError([0x61, 0xC3])?.code == .invalidUTF8)  // truncated 2-byte sequence
        #expect(stringError([0xFF, 0x61])?.code == .invalidUTF8)
        #expect(stringError([0x61, 0x62, 0x63, 0x64], terminated: false, length: 3)?.code == .invalidUTF8)  // no NUL
        #expect(stringError([0x61], length: 1000)?.code == .outOfBounds)
    }

    /// A chain of 40 tables, each referring to the next through field 0: walking it stops at the depth limit.
    @Test func deepNestingIsBounded() {
        var b = HandBuffer()
        var previous = 0
        for _ in 0..<40 {
            let table = b.table([.offset(0)])
            b.link(previous, to: table.position)
            previous = table.fields[0]!
        }
        b.link(previous, to: b.table([]).position)
        let error = error(b) { (root) throws(TFLiteError) in
            var table = root
            while let next = try table.table(0, "next", named: "Node") { table = next }
        }
        #expect(error?.code == .tooDeep)
        #expect(error?.what == "tables nested \(FlatBuffer.maximumDepth + 1) deep")
    }

    /// 3,000 vector elements all referring to one table with a 2,000-entry vector: decoding each would
    /// materialize 6 M values from a 20 KB buffer; the shared budget stops it.
    @Test func aliasedOffsetsExhaustTheBudget() {
        var b = HandBuffer()
        let root = b.table([.offset(0)])
        b.link(0, to: root.position)
        let elements = b.offsetVector(count: 3000)
        b.link(root.fields[0]!, to: elements.position)
        let shared = b.table([.offset(0)])
        b.link(shared.fields[0]!, to: b.vector32([UInt32](repeating: 7, count: 2000)))
        for element in elements.elements { b.link(element, to: shared.position) }
        var decoded = 0
        let error = error(b) { (table) throws(TFLiteError) in
            guard let vector = try table.vector(0, "items", elementSize: 4) else { return }
            for index in 0..<vector.count {
                decoded += try vector.table(at: index, named: "Item").vector(0, "values", elementSize: 4)!
                    .integers(Int32.self).count
            }
        }
        #expect(error?.code == .tooLarge)
        #expect(decoded <= 2 * b.bytes.count + 4096)
    }
}
