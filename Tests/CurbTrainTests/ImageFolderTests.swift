import Foundation
import Testing
@testable import CurbTrain

@Suite struct ImageFolderTests {
    @Test func listsClassesAndFilesInOrderSkippingHiddenEntries() throws {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["car/b.png", "car/a.png", "bike/z.jpg", "bike/.hidden", ".cache/x.png"] {
            TestImages.write([1], to: root + "/" + path)
        }
        TestImages.write([1], to: root + "/README.md")
        let folder = try ImageFolder(directory: root)
        #expect(folder.classNames == ["bike", "car"])
        #expect(folder.entries.map(\.label) == [0, 1, 1])
        #expect(folder.entries.map { ($0.path as NSString).lastPathComponent } == ["z.jpg", "a.png", "b.png"])
    }

    @Test func badFoldersGetClearMessages() throws {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: TrainingError("\(root)/missing: not a readable directory")) { try ImageFolder(directory: root + "/missing") }
        #expect(throws: TrainingError("\(root): no class folders (expected DIR/<class>/<image> files)")) { try ImageFolder(directory: root) }
        TestImages.write([1], to: root + "/car/a.png")
        #expect(throws: TrainingError("\(root): only one class folder ('car'); a classifier needs at least two")) {
            try ImageFolder(directory: root)
        }
        try FileManager.default.createDirectory(atPath: root + "/bike", withIntermediateDirectories: true)
        #expect(throws: TrainingError("\(root): class folder 'bike' has no images")) { try ImageFolder(directory: root) }
    }
}
