import CurbModel
import Foundation
import Testing
@testable import CurbTrain

@Suite struct BatchLoaderTests {
    /// Seven 1x1 images whose single pixel is (10·i, 0, 0) — so every batch row shows which image it is —
    /// in two classes.
    static func images() throws -> ImageSet {
        let root = TestImages.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for index in 0..<7 {
            TestImages.write(TestImages.png(width: 1, height: 1, pixels: [UInt8(10 * index), 0, 0]),
                             to: root + "/\(index % 2 == 0 ? "even" : "odd")/\(index).png")
        }
        let folder = try ImageFolder(directory: root)
        return try ImageSet(entries: folder.entries, classNames: folder.classNames, width: 1, height: 1, recipe: .unitRange)
    }

    @Test func eachEpochServesEverySelectedImageOnceWithItsLabel() throws {
        let images = try Self.images()
        let selected = [0, 1, 2, 4, 5, 6]
        let loader = BatchLoader(images: images, indices: selected, batchSize: 4, seed: 9)
        #expect(loader.batchCount == 2)
        var orders: [[Int]] = []
        for _ in 0..<3 {
            loader.startEpoch()
            var served: [Int] = []
            for number in 0..<loader.batchCount {
                let batch = loader.batch(number)
                #expect(batch.images.shape == [number == 0 ? 4 : 2, 1, 1, 3])
                for row in 0..<batch.labels.count {
                    // Find the image by its red value; its label must come with it.
                    let index = images.pixels.indices.first { $0 % 3 == 0 && images.pixels[$0] == batch.images.values[row * 3] }! / 3
                    #expect(images.labels[index] == batch.labels[row])
                    served.append(index)
                }
            }
            #expect(served.sorted() == selected)
            orders.append(served)
        }
        #expect(Set(orders.map { $0.description }).count > 1)
    }

    @Test func withoutShufflingOrderIsTheIndexOrder() throws {
        let images = try Self.images()
        let loader = BatchLoader(images: images, indices: [3, 1], batchSize: 8, shuffles: false, seed: 1)
        loader.startEpoch()
        let batch = loader.batch(0)
        #expect(batch.labels == [images.labels[3], images.labels[1]])
        #expect(batch.images.values == Array(images.pixels[9..<12]) + Array(images.pixels[3..<6]))
    }
}
