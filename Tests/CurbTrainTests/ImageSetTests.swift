import CurbModel
import Foundation
import Testing
@testable import CurbTrain

@Suite struct ImageSetTests {
    @Test func decodesThroughTheRecipeAndListsSkippedFiles() throws {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 2x1 images at the input size (the resize is the identity): pixels (0, 128, 255) and (10, 20, 30).
        let pixels: [UInt8] = [0, 128, 255, 10, 20, 30]
        TestImages.write(TestImages.png(width: 2, height: 1, pixels: pixels), to: root + "/a/one.png")
        TestImages.write(TestImages.png(width: 2, height: 1, pixels: pixels.reversed()), to: root + "/b/two.png")
        TestImages.write(Array("not an image".utf8), to: root + "/b/notes.txt")
        TestImages.write(Array(TestImages.png(width: 2, height: 1, pixels: pixels).prefix(40)), to: root + "/a/truncated.png")
        let folder = try ImageFolder(directory: root)
        let recipe = PreprocessingRecipe(mean: [10, 20, 30], standardDeviation: [2, 4, 5])
        let images = try ImageSet(entries: folder.entries, classNames: folder.classNames, width: 2, height: 1, recipe: recipe)
        #expect(images.count == 2 && images.labels == [0, 1])
        #expect(images.skipped.map { ($0.path as NSString).lastPathComponent }.sorted() == ["notes.txt", "truncated.png"])
        // (p − mean) / std per channel, computed by hand: image 1 is (0,128,255),(10,20,30); image 2 reversed.
        let expected: [Float] = [-5, 27, 45, 0, 0, 0,
                                 10, 0, -4, 122.5, 27, -6]
        #expect(images.pixels == expected)
        #expect(images.channelRanges[0] == -5...122.5)
    }

    @Test func nothingDecodableIsAnError() throws {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        TestImages.write([0, 1, 2], to: root + "/a/x.png")
        TestImages.write([0, 1, 2], to: root + "/b/y.png")
        let folder = try ImageFolder(directory: root)
        #expect(throws: TrainingError.self) {
            try ImageSet(entries: folder.entries, classNames: folder.classNames, width: 4, height: 4, recipe: .unitRange)
        }
    }
}
