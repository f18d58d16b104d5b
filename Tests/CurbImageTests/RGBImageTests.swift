@testable import CurbImage
import Testing

@Suite struct RGBImageTests {
    @Test func reusesItsBuffer() {
        let image = RGBImage()
        image.reserve(byteCount: 300)
        let first = image.storage.baseAddress
        image.reserve(byteCount: 120)
        #expect(image.storage.baseAddress == first)
        image.setSize(width: 10, height: 4, originalWidth: 20, originalHeight: 8)
        #expect(image.bytes.count == 120 && image.row(3).count == 30)
        #expect(image.originalWidth == 20)
    }

    @Test func copiesPixels() {
        let image = RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(Array(image.row(0)) == [1, 2, 3, 4, 5, 6])
    }
}
