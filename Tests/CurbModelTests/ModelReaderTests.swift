@testable import CurbModel
import Glibc
import Testing

@Suite struct ModelReaderTests {
    @Test func roundTrip() throws {
        let model = SampleModels.convNet()
        let bytes = try ModelWriter.write(model)
        let read = try ModelReader.read(bytes)
        #expect(SampleModels.equal(model, read))
        #expect(try ModelWriter.write(read) == bytes)
    }

    @Test func constantsAreUsedInPlaceAndAligned() throws {
        let bytes = try SampleModels.convNetFile()
        let model = try ModelReader.read(bytes)
        let offset = FileBuilder(SampleModels.convNet()).offset(of: .constants)
        // The constants are a window of the one copy of the file, not a second copy.
        #expect(model.constants.range.lowerBound == offset)
        #expect(model.constants.storage.count == bytes.count)
        for index in model.tensors.indices where model.tensors[index].isConstant {
            let address = Int(bitPattern: model.constantBytes(of: index)!.baseAddress)
            #expect(address % 64 == 0)
        }
    }

    @Test func readsFromPath() throws {
        let bytes = try SampleModels.convNetFile()
        let path = "/tmp/curb-reader-test-\(getpid()).curb"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        #expect(bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == bytes.count)
        close(descriptor)
        defer { unlink(path) }
        let model = try ModelReader.read(path: path)
        #expect(SampleModels.equal(model, SampleModels.convNet()))
    }

    @Test func missingFileAndDirectoryAreUnreadable() {
        let missing = modelError { () throws(ModelError) in try ModelReader.read(path: "/nonexistent/model.curb") }
        #expect(missing?.code == .unreadable)
        #expect(missing?.field == "path")
        let directory = modelError { () throws(ModelError) in try ModelReader.read(path: "/tmp") }
        #expect(directory?.code == .unreadable)
    }

    @Test func refusesOversizedFileBeforeReading() throws {
        // A sparse file: its size is claimed by fstat, nothing is allocated for it.
        let path = "/tmp/curb-reader-huge-\(getpid()).curb"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(ftruncate(descriptor, off_t(ModelFileFormat.maximumFileBytes + 1)) == 0)
        close(descriptor)
        defer { unlink(path) }
        let error = modelError { () throws(ModelError) in try ModelReader.read(path: path) }
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "size")
    }

    @Test func emptyFileIsTruncated() throws {
        let path = "/tmp/curb-reader-empty-\(getpid()).curb"
        close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600))
        defer { unlink(path) }
        #expect(modelError { () throws(ModelError) in try ModelReader.read(path: path) }?.code == .truncated)
    }

    @Test func newerMinorVersionIsAccepted() throws {
        var file = FileBuilder(SampleModels.convNet())
        file.minor = 7
        _ = try ModelReader.read(file.bytes)
    }

    @Test func unknownOptionalSectionIsSkipped() throws {
        var file = FileBuilder(SampleModels.convNet())
        file.sections.insert(ModelWriter.Section(id: 77, flags: 0, bytes: [1, 2, 3, 4, 5]), at: 2)
        let model = try ModelReader.read(file.bytes)
        #expect(SampleModels.equal(model, SampleModels.convNet()))
    }

    @Test func ignoreChecksumSkipsOnlyTheChecksum() throws {
        var bytes = try SampleModels.convNetFile()
        let constants = FileBuilder(SampleModels.convNet()).offset(of: .constants)
        bytes[constants] ^= 0x01
        #expect(modelError { () throws(ModelError) in try ModelReader.read(bytes) }?.code == .checksumMismatch)
        let model = try ModelReader.read(bytes, verifyChecksum: false)
        #expect(model.constants.bytes[0] == bytes[constants])

        // Other checks still run: a bad magic is still refused without the checksum.
        bytes[0] = UInt8(ascii: "X")
        #expect(modelError { () throws(ModelError) in try ModelReader.read(bytes, verifyChecksum: false) }?.code == .badMagic)
    }
}
