/// The container formats Curbside decodes, recognised by their first bytes (never by the file name:
/// a PNG named `.jpg` decodes as PNG).
public enum ImageFormat: Sendable, Equatable, CustomStringConvertible {
    case jpeg
    case png

    /// The format whose magic bytes start `bytes`, or nil.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        // JPEG: SOI (FF D8) followed by the next marker's FF.
        if bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF { return .jpeg }
        // PNG: the 8-byte signature 89 'P' 'N' 'G' CR LF 1A LF (compared without building an array:
        // sniffing is on the per-frame path).
        guard bytes.count >= 8 else { return nil }
        var signature: UInt64 = 0
        for index in 0..<8 { signature = signature << 8 | UInt64(bytes[index]) }
        return signature == 0x8950_4E47_0D0A_1A0A ? .png : nil
    }

    /// The error for bytes that are neither format: names the first bytes, in hex, and as text when
    /// they are printable (a text file gives `not a JPEG or PNG (starts with "hello wo")`).
    static func unknownFormatError(_ bytes: UnsafeRawBufferPointer) -> ImageError {
        if bytes.isEmpty { return ImageError(.emptyFile, "zero-byte file") }
        let prefix = bytes.prefix(8)
        let printable = prefix.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if printable {
            var text = ""
            for byte in prefix {
                text.append(byte == 0x0A ? "\\n" : byte == 0x0D ? "\\r" : byte == 0x09 ? "\\t" : String(UnicodeScalar(byte)))
            }
            return ImageError(.unknownFormat, "not a JPEG or PNG (starts with \"" + text + "\")")
        }
        let digits: [Character] = Array("0123456789abcdef")
        var hex = ""
        for (index, byte) in prefix.prefix(4).enumerated() {
            if index > 0 { hex.append(" ") }
            hex.append("0x")
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return ImageError(.unknownFormat, "not a JPEG or PNG (starts with " + hex + ")")
    }

    public var description: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        }
    }
}
