/// An n-dimensional array in NumPy's `.npy` format (versions 1.0–3.0), C order, little-endian.
///
/// Holds the raw element bytes; `.npy` is how `curbside invoke` exchanges tensors with any other runtime in a
/// few lines of Python.
public struct NumpyArray: Sendable, Equatable {
    /// The element types Curbside reads and writes.
    public enum ElementType: String, Sendable, CaseIterable {
        case int8 = "|i1"
        case uint8 = "|u1"
        case int32 = "<i4"
        case float32 = "<f4"

        public var byteWidth: Int {
            switch self {
            case .int8, .uint8: 1
            case .int32, .float32: 4
            }
        }
    }

    public var type: ElementType
    public var shape: [Int]
    /// `shape.product × byteWidth` bytes, little-endian, C order.
    public var bytes: [UInt8]

    public init(type: ElementType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(1, *) * type.byteWidth, "\(bytes.count) bytes for shape \(shape) of \(type)")
        self.type = type
        self.shape = shape
        self.bytes = bytes
    }

    public init(shape: [Int], int8 values: [Int8]) {
        self.init(type: .int8, shape: shape, bytes: values.map { UInt8(bitPattern: $0) })
    }

    public init(shape: [Int], float32 values: [Float]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern
            for shift in stride(from: UInt32(0), to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
        }
        self.init(type: .float32, shape: shape, bytes: bytes)
    }

    public var elementCount: Int { shape.reduce(1, *) }

    public var int8Values: [Int8] { bytes.map { Int8(bitPattern: $0) } }

    public var float32Values: [Float] { words().map { Float(bitPattern: $0) } }

    public var int32Values: [Int32] { words().map { Int32(bitPattern: $0) } }

    /// The data as little-endian 32-bit words.
    private func words() -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(bytes.count / 4)
        var offset = 0
        while offset + 4 <= bytes.count {
            var word = UInt32(bytes[offset])
            word |= UInt32(bytes[offset + 1]) << 8
            word |= UInt32(bytes[offset + 2]) << 16
            word |= UInt32(bytes[offset + 3]) << 24
            result.append(word)
            offset += 4
        }
        return result
    }
}
