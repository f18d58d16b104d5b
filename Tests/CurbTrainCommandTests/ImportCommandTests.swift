import Foundation
import Testing
import CurbModel
import CurbTestKit

/// `curbside-train import`, run as a user runs it: the built executable, real files, exit codes.
@Suite struct ImportCommandTests {
    static var tool: CommandRunner { CommandRunner("curbside-train") }
    static let golden = CommandRunner.packageRoot.appendingPathComponent("Tests/Golden/models")
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/CurbTFLiteTests/Fixtures")

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curb-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func importsWithOnlyModelAndOut() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("cnn.curb").path
        let result = try Self.tool.run(["import", Self.golden.appendingPathComponent("cnn-batch2.tflite").path, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let model = try ModelReader.read(path: out)
        #expect(model.metadata.name == "cnn-batch2")
        #expect(model.metadata.labels == (0..<7).map { "class_\($0)" })  // output [2, 7]
        #expect(model.metadata.provenance("source") == "cnn-batch2.tflite")
        #expect(model.operators.map(\.kind) == [.conv2D, .depthwiseConv2D, .maxPool2D, .mean, .fullyConnected, .softmax])
    }

    @Test func optionsReachTheFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let labels = directory.appendingPathComponent("labels.txt")
        try "north\nsouth\r\neast\nwest\n".write(to: labels, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("tiny.curb").path
        let result = try Self.tool.run([
            "import", Self.fixtures.appendingPathComponent("labeled.tflite").path, "--out", out, "--labels", labels.path,
            "--name", "tiny", "--color-order", "bgr", "--resize", "center-crop", "--interpolation", "area",
            "--mean", "1,2,3", "--std", "4,5,6",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let metadata = try ModelReader.read(path: out).metadata
        #expect(metadata.name == "tiny")
        #expect(metadata.labels == ["north", "south", "east", "west"])
        #expect(metadata.preprocessing == PreprocessingRecipe(colorOrder: .bgr, resizeMode: .centerCrop, interpolation: .area,
                                                              mean: [1, 2, 3], standardDeviation: [4, 5, 6]))
    }

    @Test func failuresAreOneLineWithExitCode2() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("x.curb").path
        // A truncated .tflite, a missing file, a non-int8 (float) model, a bad option value.
        let truncated = directory.appendingPathComponent("truncated.tflite")
        try Data(try Data(contentsOf: Self.golden.appendingPathComponent("cnn-batch2.tflite")).prefix(200)).write(to: truncated)
        for arguments in [["import", truncated.path, "--out", out],
                          ["import", directory.appendingPathComponent("missing.tflite").path, "--out", out]] {
            let result = try Self.tool.run(arguments)
            #expect(result.status == 2)
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardError.hasPrefix("curbside-train: "))
        }
        let badOption = try Self.tool.run(["import", truncated.path, "--out", out, "--resize", "squash"])
        #expect(badOption.status == 2 && badOption.standardError.contains("--resize"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
