import Testing
@testable import CurbTFLite

/// Label files in the ZIP appended to a model (fixtures built by Fixtures/make_fixtures.py).
@Suite struct TFLiteAssociatedFilesTests {
    static let labels = ["car", "bus", "truck", "bicycle"]  // LABELS in make_fixtures.py, "\r\n" after "bus"

    static func labels(_ bytes: [UInt8]) throws -> [String]? {
        try bytes.withUnsafeBytes { try TFLiteAssociatedFiles.labels(from: $0) }
    }

    static func error(_ bytes: [UInt8]) -> TFLiteError? {
        do { _ = try labels(bytes); return nil } catch let error as TFLiteError { return error } catch { return nil }
    }

    /// The metadata names vehicle_labels.txt; the archive lists readme.txt first, so taking the first
    /// `.txt` would give the wrong file.
    @Test func labelFileNamedByTheMetadata() throws {
        let file = try TestFiles.fixture("labeled.tflite")
        #expect(try file.withUnsafeBytes { try TFLiteAssociatedFiles.labelFileName(in: $0) } == "vehicle_labels.txt")
        #expect(try Self.labels(file) == Self.labels)
        let archive = try #require(try file.withUnsafeBytes { try ZipArchive.find(in: $0) })
        #expect(archive.entries.map(\.name) == ["readme.txt", "vehicle_labels.txt"])
        // The model itself still reads, with the metadata entry in place.
        let model = try file.withUnsafeBytes { try TFLiteReader.read($0) }
        #expect(model.metadata.last?.name == "TFLITE_METADATA")
    }

    /// No metadata: the first `.txt` entry; the archive's offsets are relative to its own start.
    @Test func firstTextEntryWithoutMetadata() throws {
        let file = try TestFiles.fixture("unlabeled-zip.tflite")
        #expect(try file.withUnsafeBytes { try TFLiteAssociatedFiles.labelFileName(in: $0) } == nil)
        #expect(try Self.labels(file) == Self.labels)
    }

    @Test func noArchiveMeansNoLabels() throws {
        #expect(try Self.labels(try TestFiles.fixture("tiny.int8.tflite")) == nil)
    }

    @Test func deflatedEntriesAreRefused() throws {
        let error = Self.error(try TestFiles.fixture("deflated.tflite"))
        #expect(error?.code == .unsupportedCompression)
        #expect(error?.what == "entry 'labels.txt' is deflate-compressed; Curbside reads only stored entries")
    }

    @Test func corruptedLabelBytesFailTheChecksum() throws {
        var file = try TestFiles.fixture("unlabeled-zip.tflite")
        let text = Array("truck".utf8)
        let position = try #require((0..<(file.count - text.count)).first { Array(file[$0..<($0 + text.count)]) == text })
        file[position] = UInt8(ascii: "d")
        #expect(Self.error(file)?.code == .checksumMismatch)
    }

    @Test func metadataNamingAMissingEntry() throws {
        var file = try TestFiles.fixture("labeled.tflite")
        // Rename the archive's entry (in the central directory, the last occurrence) so the name no longer matches.
        let name = Array("vehicle_labels.txt".utf8)
        let position = try #require((0..<(file.count - name.count)).last { Array(file[$0..<($0 + name.count)]) == name })
        file[position] = UInt8(ascii: "V")
        let error = Self.error(file)
        #expect(error?.code == .missingField)
        #expect(error?.what == "metadata names label file 'vehicle_labels.txt' but the ZIP has no such entry")
    }

    /// Every truncation and 20,000 mutations of the archive's tail: refused or read, never a trap.
    @Test func damagedArchives() throws {
        let file = try TestFiles.fixture("labeled.tflite")
        let tail = 700  // the appended ZIP plus the end of the flatbuffer
        var refused = 0
        file.withUnsafeBytes { whole in
            for length in (file.count - tail)..<file.count {
                if (try? TFLiteAssociatedFiles.labels(from: UnsafeRawBufferPointer(rebasing: whole[0..<length]))) == nil {
                    refused += 1
                }
            }
        }
        #expect(refused > 0)
        var generator = SeededGenerator(seed: 0x21F)
        var mutated = file
        for _ in 0..<20_000 {
            let position = Int.random(in: (file.count - tail)..<file.count, using: &generator)
            mutated[position] = UInt8.random(in: 0...255, using: &generator)
            _ = try? mutated.withUnsafeBytes { try TFLiteAssociatedFiles.labels(from: $0) }
            mutated[position] = file[position]
        }
    }

    @Test func crc32OfAKnownString() {
        // The standard check value of CRC-32/ISO-HDLC: CRC("123456789") = 0xCBF43926.
        let crc = Array("123456789".utf8).withUnsafeBytes { ZipArchive.crc32($0) }
        #expect(crc == 0xCBF4_3926)
    }
}

import CurbTestKit
