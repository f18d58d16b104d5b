import Foundation
import Testing
import CurbModel
import CurbNumpy
import CurbTestKit

/// `ModelFiles/example-tiny-cnn.curb` and its sample input are made by the writer from `ExampleModels`;
/// these tests keep them byte-identical, so a format change shows up as a visible diff.
/// Regenerate with `CURBSIDE_REGENERATE=1 swift test --filter ModelFilesTests`.
@Suite struct ModelFilesTests {
    static let modelFiles = CommandRunner.packageRoot.appendingPathComponent("ModelFiles")
    static var regenerate: Bool { ProcessInfo.processInfo.environment["CURBSIDE_REGENERATE"] == "1" }

    @Test func exampleModelIsTheWritersOutput() throws {
        let bytes = try ModelWriter.write(ExampleModels.tinyCNN())
        let url = Self.modelFiles.appendingPathComponent("example-tiny-cnn.curb")
        if Self.regenerate { try Data(bytes).write(to: url) }
        #expect(try [UInt8](Data(contentsOf: url)) == bytes)
    }

    @Test func exampleInputIsTheSeededTensor() throws {
        let array = NumpyArray(shape: [2, 16, 16, 3], int8: ExampleModels.tinyCNNInput(count: 2))
        let url = Self.modelFiles.appendingPathComponent("example-input.npy")
        if Self.regenerate { try Data(array.encoded()).write(to: url) }
        #expect(try NumpyArray(decoding: [UInt8](Data(contentsOf: url))) == array)
    }

    @Test func everyModelFileReadsAndValidates() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.modelFiles.path).filter { $0.hasSuffix(".curb") }
        #expect(!names.isEmpty)
        for name in names {
            let model = try ModelReader.read(path: Self.modelFiles.appendingPathComponent(name).path)
            #expect(!model.metadata.name.isEmpty, "\(name)")
        }
    }
}
