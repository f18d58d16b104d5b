import CurbImage
import Testing

@Suite struct ImageErrorTests {
    @Test func describesFileAndCauseInOneLine() {
        let error = ImageError(.corruptData, "JPEG: Premature end of JPEG file")
        #expect(error.description == "JPEG: Premature end of JPEG file")
        let located = error.inFile("test/car/c12.jpg")
        #expect(located.description == "test/car/c12.jpg: JPEG: Premature end of JPEG file")
        #expect(located.kind == .corruptData && located.file == "test/car/c12.jpg")
    }
}
