import Foundation

/// Where the tests find their files: committed fixtures beside this file, and the peer models in
/// `../shared/peers/models` relative to the repository root (absent on some machines: those tests skip).
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let peerModels = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/peers/models")

    static var peerModelsPresent: Bool {
        FileManager.default.fileExists(atPath: peerModels.appendingPathComponent("vehiclenet-s.int8.tflite").path)
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func peerModel(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: peerModels.appendingPathComponent(name)))
    }
}

/// Lays out a flatbuffer front to back by hand, so tests can build any (mal)formed layout.
///
/// References are forward-only in flatbuffers (unsigned offsets), so a parent is written first with
/// placeholder offset fields that `link` patches once the child exists.
struct HandBuffer {
    var bytes: [UInt8] = []

    /// One inline field of a table: its id and raw little-endian bytes.
    struct Field {
        var id: Int
        var bytes: [UInt8]
        static func u8(_ id: Int, _ value: UInt8) -> Field { Field(id: id, bytes: [value]) }
        static func i32(_ id: Int, _ value: Int32) -> Field { Field(id: id, bytes: le(UInt32(bitPattern: value))) }
        static func u32(_ id: Int, _ value: UInt32) -> Field { Field(id: id, bytes: le(value)) }
        static func u64(_ id: Int, _ value: UInt64) -> Field { Field(id: id, bytes: le(value)) }
        /// A placeholder for an offset, patched by `link`.
        static func offset(_ id: Int) -> Field { Field(id: id, bytes: [0, 0, 0, 0]) }
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) { bytes += Self.le(value) }

    mutating func patch<T: FixedWidthInteger>(_ value: T, at position: Int) {
        for (index, byte) in Self.le(value).enumerated() { bytes[position + index] = byte }
    }

    /// Makes the 4-byte offset at `position` refer to `target` (which must come later).
    mutating func link(_ position: Int, to target: Int) {
        patch(UInt32(target - position), at: position)
    }

    /// Starts a buffer: root offset (patched to the next table written by `rootTable`) and identifier.
    init(identifier: String? = "TFL3") {
        append(UInt32(0))
        if let identifier { bytes += Array(identifier.utf8) }
    }

    /// Writes a vtable and then a table holding `fields`; returns the table position and each field's position.
    @discardableResult
    mutating func table(_ fields: [Field]) -> (position: Int, fields: [Int: Int]) {
        align(4)
        let fieldCount = (fields.map(\.id).max() ?? -1) + 1
        let vtable = bytes.count
        let vtableSize = 4 + 2 * fieldCount
        var offsets = [Int](repeating: 0, count: fieldCount)
        var inline = 4
        for field in fields {
            inline = (inline + field.bytes.count - 1) / field.bytes.count * field.bytes.count
            offsets[field.id] = inline
            inline += field.bytes.count
        }
        append(UInt16(vtableSize))
        append(UInt16(inline))
        for offset in offsets { append(UInt16(offset)) }
        align(4)
        let table = bytes.count
        append(Int32(table - vtable))
        var positions: [Int: Int] = [:]
        for field in fields {
            while bytes.count - table < offsets[field.id] { bytes.append(0) }
            positions[field.id] = bytes.count
            bytes += field.bytes
        }
        while bytes.count - table < inline { bytes.append(0) }
        return (table, positions)
    }

    /// A vector of 32-bit values; returns its position (the length prefix).
    @discardableResult
    mutating func vector32(_ values: [UInt32]) -> Int {
        align(4)
        let position = bytes.count
        append(UInt32(values.count))
        for value in values { append(value) }
        return position
    }

    /// A vector of `count` placeholder offsets; returns the vector position and each element's position.
    mutating func offsetVector(count: Int) -> (position: Int, elements: [Int]) {
        let position = vector32([UInt32](repeating: 0, count: count))
        return (position, (0..<count).map { position + 4 + 4 * $0 })
    }

    /// A NUL-terminated string; returns its position.
    @discardableResult
    mutating func string(_ utf8: [UInt8], terminated: Bool = true) -> Int {
        align(4)
        let position = bytes.count
        append(UInt32(utf8.count))
        bytes += utf8
        if terminated { bytes.append(0) }
        return position
    }

    /// Runs `body` over the bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}

/// A minimal, valid one-subgraph model laid out by hand, with knobs the robustness tests turn.
struct MiniModel {
    var version: UInt32 = 3
    var subgraphCount = 1
    var operatorCode: Int32 = 3  // CONV_2D
    var opcodeIndex: UInt32 = 0
    var operatorInputs: [Int32] = [0, 1]
    var optionsType: UInt8 = 1  // Conv2DOptions
    var optionsFields: [HandBuffer.Field] = [.u8(0, 1), .i32(1, 2), .i32(2, 2), .u8(3, 3)]
    var tensorBuffer: UInt32 = 1
    var bufferOffset: UInt64 = 0
    var tensorName: [UInt8] = Array("weights".utf8)
    var weightCount = 4

    /// Tensor 0: activation [1, 2] int8; tensor 1: constant [2, 2] int8 in buffer `tensorBuffer`;
    /// tensor 2: output. One operator using them; buffers: 0 = sentinel, 1 = the weights.
    func build() -> HandBuffer {
        var b = HandBuffer()
        let model = b.table([.u32(0, version), .offset(1), .offset(2), .offset(4)])
        b.link(0, to: model.position)
        // operator_codes
        let codes = b.offsetVector(count: 1)
        b.link(model.fields[1]!, to: codes.position)
        let code = b.table([.u8(0, UInt8(truncatingIfNeeded: min(operatorCode, 127))), .i32(3, operatorCode)])
        b.link(codes.elements[0], to: code.position)
        // buffers
        let buffers = b.offsetVector(count: 2)
        b.link(model.fields[4]!, to: buffers.position)
        let sentinel = b.table([])
        b.link(buffers.elements[0], to: sentinel.position)
        let weights = b.table([.offset(0), .u64(1, bufferOffset), .u64(2, bufferOffset == 0 ? 0 : 4)])
        b.link(buffers.elements[1], to: weights.position)
        b.align(16)
        let data = b.bytes.count
        b.append(UInt32(weightCount))
        b.bytes += [UInt8](repeating: 1, count: weightCount)
        b.link(weights.fields[0]!, to: data)
        // subgraphs
        let subgraphs = b.offsetVector(count: subgraphCount)
        b.link(model.fields[2]!, to: subgraphs.position)
        for element in subgraphs.elements {
            let subgraph = b.table([.offset(0), .offset(1), .offset(2), .offset(3)])
            b.link(element, to: subgraph.position)
            let tensors = b.offsetVector(count: 3)
            b.link(subgraph.fields[0]!, to: tensors.position)
            let shapes: [[UInt32]] = [[1, 2], [2, 2], [1, 2]]
            for (index, tensorElement) in tensors.elements.enumerated() {
                let tensor = b.table([.offset(0), .u8(1, 9), .u32(2, index == 1 ? tensorBuffer : 0), .offset(3)])
                b.link(tensorElement, to: tensor.position)
                b.link(tensor.fields[0]!, to: b.vector32(shapes[index]))
                b.link(tensor.fields[3]!, to: b.string(index == 1 ? tensorName : Array("t\(index)".utf8)))
            }
            b.link(subgraph.fields[1]!, to: b.vector32([0]))
            b.link(subgraph.fields[2]!, to: b.vector32([2]))
            let operators = b.offsetVector(count: 1)
            b.link(subgraph.fields[3]!, to: operators.position)
            let op = b.table([.u32(0, opcodeIndex), .offset(1), .offset(2), .u8(3, optionsType), .offset(4)])
            b.link(operators.elements[0], to: op.position)
            b.link(op.fields[1]!, to: b.vector32(operatorInputs.map { UInt32(bitPattern: $0) }))
            b.link(op.fields[2]!, to: b.vector32([2]))
            let options = b.table(optionsFields)
            b.link(op.fields[4]!, to: options.position)
        }
        return b
    }
}
