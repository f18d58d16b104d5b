/// EXIF orientation (tag 0x0112): how the stored pixels must be turned to show the scene upright.
///
/// Raw values 1–8 as in the EXIF/TIFF specification; ``ImageDecoder`` applies it, so decoded images are
/// always upright (the same result as Pillow's `ImageOps.exif_transpose`).
public enum ImageOrientation: Int, Sendable, CaseIterable {
    case up = 1
    case mirrored = 2
    case down = 3
    case mirroredDown = 4
    /// Transpose: mirror about the top-left to bottom-right diagonal.
    case transposed = 5
    /// Stored turned 90° counter-clockwise: rotate 90° clockwise to show.
    case right = 6
    case transversed = 7
    /// Stored turned 90° clockwise: rotate 90° counter-clockwise to show.
    case left = 8

    /// Whether showing the image swaps its width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// The orientation in an APP1 segment's payload (`"Exif\0\0"` then a TIFF header), or `.up` when
    /// it is absent, not EXIF or malformed. Every read is bounds-checked: the bytes are untrusted.
    public static func fromExif(_ payload: UnsafeRawBufferPointer) -> ImageOrientation {
        let tiff = 6
        guard payload.count >= tiff + 8,
              payload[0] == 0x45, payload[1] == 0x78, payload[2] == 0x69, payload[3] == 0x66,  // "Exif"
              payload[4] == 0, payload[5] == 0 else { return .up }
        let littleEndian: Bool
        switch (payload[tiff], payload[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true  // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return .up
        }
        func read16(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 2 <= payload.count else { return nil }
            let a = Int(payload[offset]), b = Int(payload[offset + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func read32(_ offset: Int) -> Int? {
            guard let low = read16(offset + (littleEndian ? 0 : 2)), let high = read16(offset + (littleEndian ? 2 : 0)) else { return nil }
            return low | high << 16
        }
        guard read16(tiff + 2) == 42, let ifdOffset = read32(tiff + 4), let count = read16(tiff + ifdOffset) else { return .up }
        let entries = tiff + ifdOffset + 2
        for index in 0..<count {
            let entry = entries + index * 12
            guard let tag = read16(entry) else { return .up }
            if tag == 0x0112 {
                // Type SHORT (3), count 1: the value sits in the first two bytes of the value field.
                guard read16(entry + 2) == 3, let value = read16(entry + 8) else { return .up }
                return ImageOrientation(rawValue: value) ?? .up
            }
        }
        return .up
    }
}
