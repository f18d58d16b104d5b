/// The entries of a ZIP archive at the end of a byte buffer, read from its end-of-central-directory record
/// and central directory, every offset and length checked.
///
/// TFLite's metadata populator appends such an archive to the `.tflite` file to carry associated files
/// (label lists). Offsets in the archive may be absolute (Python's `zipfile` appending to a file) or relative
/// to the archive's start (an archive concatenated after the model); the difference is recovered from where
/// the central directory really is, as common unzip tools do. Multi-disk and ZIP64 archives are refused;
/// only STORED (uncompressed) entries can be extracted — the populator stores entries uncompressed.
public struct ZipArchive: Sendable, Equatable {
    /// One file in the archive.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// 0 = stored, 8 = deflated.
        public var method: UInt16
        /// General-purpose flags (bit 0 = encrypted).
        public var flags: UInt16
        public var crc32: UInt32
        public var compressedSize: Int
        public var uncompressedSize: Int
        /// The local file header's position in the buffer (already corrected for a prefix).
        public var localHeaderPosition: Int
    }

    public var entries: [Entry]
    /// Where the central directory starts; entry data must end before it.
    public var centralDirectoryPosition: Int

    private static let endRecordSize = 22
    private static let centralHeaderSize = 46
    private static let localHeaderSize = 30

    /// The archive at the end of `bytes`, or nil when there is no end-of-central-directory record.
    public static func find(in bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> ZipArchive? {
        guard bytes.count >= endRecordSize else { return nil }
        // The record is 22 bytes plus a comment of up to 65535 bytes, whose length it states.
        let last = bytes.count - endRecordSize
        var position = last
        while position >= max(0, last - 0xFFFF) {
            if read32(bytes, position) == 0x0605_4B50, Int(read16(bytes, position + 20)) == last - position {
                return try ZipArchive(bytes, endRecord: position)
            }
            position -= 1
        }
        return nil
    }

    private init(_ bytes: UnsafeRawBufferPointer, endRecord: Int) throws(TFLiteError) {
        let disk = read16(bytes, endRecord + 4), directoryDisk = read16(bytes, endRecord + 6)
        let entriesHere = read16(bytes, endRecord + 8), entryCount = read16(bytes, endRecord + 10)
        let directorySize = read32(bytes, endRecord + 12), directoryOffset = read32(bytes, endRecord + 16)
        guard entryCount != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw Self.error(.badArchive, "ZIP64 archive", at: endRecord, expected: "a plain ZIP archive")
        }
        guard disk == 0, directoryDisk == 0, entriesHere == entryCount else {
            throw Self.error(.badArchive, "multi-disk archive", at: endRecord, expected: "a single-disk archive")
        }
        let directoryStart = endRecord - Int(directorySize)
        let prefix = directoryStart - Int(directoryOffset)
        guard directoryStart >= 0, prefix >= 0 else {
            throw Self.error(.badArchive, "central directory (\(directorySize) bytes at \(directoryOffset)) does not fit before its end record",
                             at: endRecord, expected: "a directory ending where the end record starts")
        }
        guard Int(entryCount) * Self.centralHeaderSize <= Int(directorySize) else {
            throw Self.error(.badArchive, "\(entryCount) entries cannot fit in \(directorySize) directory bytes",
                             at: endRecord, expected: "at least 46 bytes per entry")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(entryCount))
        var position = directoryStart
        for _ in 0..<Int(entryCount) {
            guard position + Self.centralHeaderSize <= endRecord, read32(bytes, position) == 0x0201_4B50 else {
                throw Self.error(.badArchive, "no central directory header at \(position)", at: position,
                                 expected: "signature PK\\1\\2 inside the directory")
            }
            let nameLength = Int(read16(bytes, position + 28))
            let variableLength = nameLength + Int(read16(bytes, position + 30)) + Int(read16(bytes, position + 32))
            guard variableLength <= endRecord - position - Self.centralHeaderSize else {
                throw Self.error(.badArchive, "directory entry at \(position) runs past the directory", at: position,
                                 expected: "name, extra field and comment inside the directory")
            }
            let nameStart = position + Self.centralHeaderSize
            guard let name = String(validating: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)]),
                                    as: UTF8.self) else {
                throw Self.error(.invalidUTF8, "entry name at \(nameStart) is not UTF-8", at: nameStart,
                                 expected: "a UTF-8 file name")
            }
            entries.append(Entry(name: name, method: read16(bytes, position + 10), flags: read16(bytes, position + 8),
                                 crc32: read32(bytes, position + 16), compressedSize: Int(read32(bytes, position + 20)),
                                 uncompressedSize: Int(read32(bytes, position + 24)),
                                 localHeaderPosition: Int(read32(bytes, position + 42)) + prefix))
            position = nameStart + variableLength
        }
        self.entries = entries
        centralDirectoryPosition = directoryStart
    }

    /// The entry named exactly `name`.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The bytes of a STORED entry, after checking its local header, bounds and CRC-32.
    public func contents(of entry: Entry, in bytes: UnsafeRawBufferPointer) throws(TFLiteError) -> UnsafeRawBufferPointer {
        guard entry.flags & 1 == 0 else {
            throw Self.error(.unsupportedCompression, "entry '\(entry.name)' is encrypted", at: entry.localHeaderPosition,
                             expected: "an unencrypted entry")
        }
        guard entry.method == 0 else {
            let method = entry.method == 8 ? "deflate-compressed" : "compressed with method \(entry.method)"
            throw Self.error(.unsupportedCompression,
                             "entry '\(entry.name)' is \(method); Curbside reads only stored entries",
                             at: entry.localHeaderPosition,
                             expected: "a stored (uncompressed) entry, as the TFLite metadata populator writes (re-pack with `zip -0`)")
        }
        guard entry.compressedSize == entry.uncompressedSize else {
            throw Self.error(.badArchive, "stored entry '\(entry.name)' has different compressed and uncompressed sizes",
                             at: entry.localHeaderPosition, expected: "equal sizes")
        }
        let header = entry.localHeaderPosition
        guard header >= 0, header <= centralDirectoryPosition - Self.localHeaderSize,
              read32(bytes, header) == 0x0403_4B50 else {
            throw Self.error(.badArchive, "no local header for '\(entry.name)' at \(header)", at: header,
                             expected: "signature PK\\3\\4 before the central directory")
        }
        let start = header + Self.localHeaderSize + Int(read16(bytes, header + 26)) + Int(read16(bytes, header + 28))
        guard entry.compressedSize <= centralDirectoryPosition - start else {
            throw Self.error(.badArchive, "data of '\(entry.name)' (\(entry.compressedSize) bytes at \(start)) runs into the central directory",
                             at: header, expected: "data before the central directory")
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + entry.compressedSize)])
        guard Self.crc32(data) == entry.crc32 else {
            throw Self.error(.checksumMismatch, "CRC-32 of '\(entry.name)' does not match", at: start,
                             expected: "CRC-32 \(entry.crc32)")
        }
        return data
    }

    /// CRC-32 (IEEE, reflected polynomial 0xEDB88320), bit by bit: label files are small.
    static func crc32(_ data: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    private static func error(_ code: TFLiteError.Code, _ what: String, at position: Int, expected: String) -> TFLiteError {
        TFLiteError(code, what, table: "zip", offset: position, expected: expected)
    }
}

/// Little-endian reads at positions the caller has already bounds-checked.
private func read16(_ bytes: UnsafeRawBufferPointer, _ position: Int) -> UInt16 {
    UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self))
}

private func read32(_ bytes: UnsafeRawBufferPointer, _ position: Int) -> UInt32 {
    UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
}
