import Foundation
import Testing
import CurbTestKit

@Suite struct ClassifyCommandTests {
    static let curbside = CommandRunner("curbside")
    static let example = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/CurbImageTests/Fixtures")
    static let valid = ["baseline_420.jpg", "baseline_444.jpg", "progressive.jpg", "cmyk_adobe.jpg", "grey.jpg", "exif6.jpg",
                        "rgb.png", "rgba.png", "grey.png", "palette.png", "rgb16.png", "interlaced.png", "png_named.jpg"]
    static let broken = ["garbage.bin", "notes.txt", "huge.jpg", "huge.png"]

    /// A folder mixing every valid kind of image with broken files, an empty file, a dangling link and a
    /// sub-folder.
    static func mixedFolder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let manager = FileManager.default
        for name in valid + broken {
            try manager.copyItem(at: fixtures.appendingPathComponent(name), to: directory.url.appendingPathComponent(name))
        }
        _ = manager.createFile(atPath: directory.path("zero.jpg"), contents: Data())
        try manager.createSymbolicLink(atPath: directory.path("vanished.jpg"), withDestinationPath: "/nonexistent/frame.jpg")
        try manager.createDirectory(at: directory.url.appendingPathComponent("nested"), withIntermediateDirectories: false)
        try manager.copyItem(at: fixtures.appendingPathComponent("rgb.png"), to: directory.url.appendingPathComponent("nested/inner.png"))
        return directory
    }

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func mixedFolderClassifiesEveryValidImageAndReportsEveryBrokenOne() throws {
        let folder = try Self.mixedFolder()
        let result = try Self.curbside.run(["classify", "--model", Self.example, "--json", "--top", "3", folder.url.path])
        #expect(result.status == 1)
        let records = try Self.lines(result.standardOutput)
        let byFile = Dictionary(uniqueKeysWithValues: records.map { ($0["file"] as! String, $0) })
        #expect(records.count == Self.valid.count + Self.broken.count + 2)  // + zero.jpg, vanished.jpg; nested/ skipped
        #expect(records.map { $0["file"] as! String } == records.map { $0["file"] as! String }.sorted())
        for name in Self.valid {
            let record = try #require(byFile[folder.path(name)], "\(name) missing")
            #expect(record["error"] == nil, "\(name): \(record["error"] ?? "")")
            #expect(["bike", "car", "minibus", "truck"].contains(record["label"] as? String ?? ""), "\(name)")
            let top = try #require(record["top"] as? [[String: Any]])
            #expect(top.count == 3)
            #expect((top[0]["score"] as? Double ?? 0) >= (top[1]["score"] as? Double ?? 1))
            for key in ["score", "decode_ms", "infer_ms"] { #expect(record[key] is Double, "\(name) \(key)") }
        }
        for name in Self.broken + ["zero.jpg", "vanished.jpg"] {
            let record = try #require(byFile[folder.path(name)], "\(name) missing")
            let error = try #require(record["error"] as? String, "\(name) was not reported as an error")
            #expect(!error.isEmpty && !error.contains("\n"))
        }
        #expect((byFile[folder.path("zero.jpg")]?["error"] as? String)?.contains("zero-byte") == true)
        #expect((byFile[folder.path("huge.jpg")]?["error"] as? String)?.contains("65000x65000") == true)
    }

    @Test func recursiveIncludesSubdirectoriesAndAllGoodExitsZero() throws {
        let folder = try Self.mixedFolder()
        let nested = folder.url.appendingPathComponent("nested").path
        let good = try Self.curbside.run(["classify", "--model", Self.example, nested])
        #expect(good.status == 0)
        #expect(good.standardOutput.hasPrefix(nested + "/inner.png  "))
        let recursive = try Self.curbside.run(["classify", "--model", Self.example, "--json", "--recursive", folder.url.path])
        #expect(try Self.lines(recursive.standardOutput).contains { $0["file"] as? String == nested + "/inner.png" })
    }

    @Test func thresholdAboveEveryScoreGivesUnknown() throws {
        let image = Self.fixtures.appendingPathComponent("rgb.png").path
        let result = try Self.curbside.run(["classify", "--model", Self.example, "--json", "--threshold", "1", image])
        #expect(result.status == 0)
        #expect(try Self.lines(result.standardOutput).first?["label"] as? String == "unknown")
    }

    @Test func threadCountDoesNotChangeTheScores() throws {
        let image = Self.fixtures.appendingPathComponent("rgb.png").path
        let one = try Self.curbside.run(["classify", "--model", Self.example, "--top", "3", "--threads", "1", image])
        let two = try Self.curbside.run(["classify", "--model", Self.example, "--top", "3", "--threads", "2", image])
        #expect(one.status == 0 && two.status == 0, "\(one.standardError) \(two.standardError)")
        #expect(!one.standardOutput.isEmpty && one.standardOutput == two.standardOutput)
        let refused = try Self.curbside.run(["classify", "--model", Self.example, "--threads", "0", image])
        #expect(refused.status == 2)
    }

    @Test func invalidModelOrUsageExitsWith2() throws {
        let image = Self.fixtures.appendingPathComponent("rgb.png").path
        let notModel = try Self.curbside.run(["classify", "--model", image, image])
        #expect(notModel.status == 2)
        #expect(notModel.standardError.split(separator: "\n").count == 1)
        #expect(try Self.curbside.run(["classify", "--model", Self.example]).status == 2)
        #expect(try Self.curbside.run(["classify", "--model", Self.example, "--top", "0", image]).status == 2)
    }
}
