extension NumpyArray {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// The `.npy` version 1.0 bytes (header padded so the data starts at a multiple of 64).
    public func encoded() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = Array("{'descr': '\(type.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        let unpadded = Self.magic.count + 2 + 2 + header.count + 1
        let padding = (64 - unpadded % 64) % 64
        header.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
        header.append(0x0A)
        var output = Self.magic
        output.append(contentsOf: [1, 0])
        output.append(UInt8(truncatingIfNeeded: header.count))
        output.append(UInt8(truncatingIfNeeded: header.count >> 8))
        output.append(contentsOf: header)
        output.append(contentsOf: bytes)
        return output
    }
}
