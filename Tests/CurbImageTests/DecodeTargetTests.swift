import CurbImage
import Testing

@Suite struct DecodeTargetTests {
    @Test func picksLargestDenominatorThatStillCovers() {
        let target = DecodeTarget(width: 224, height: 224)
        // 1920x1080: 1080 >= 4 * 224 = 896 but < 8 * 224.
        #expect(target.scaleDenominator(imageWidth: 1920, imageHeight: 1080) == 4)
        #expect(DecodeTarget(width: 64, height: 64).scaleDenominator(imageWidth: 1920, imageHeight: 1080) == 8)
        #expect(target.scaleDenominator(imageWidth: 447, imageHeight: 1000) == 1)
        #expect(target.scaleDenominator(imageWidth: 448, imageHeight: 448) == 2)
    }

    @Test func letterboxNeedsOnlyOneSide() {
        // 1920x200 into 224x224: the fitted image is 224 wide; 1920 >= 8 * 224.
        let letterbox = DecodeTarget(width: 224, height: 224, coverage: .either)
        #expect(letterbox.scaleDenominator(imageWidth: 1920, imageHeight: 200) == 8)
        #expect(DecodeTarget(width: 224, height: 224).scaleDenominator(imageWidth: 1920, imageHeight: 200) == 1)
    }

    @Test func regionOfInterestDecides() {
        let target = DecodeTarget(width: 64, height: 64, regionOfInterest: PixelRegion(x: 100, y: 100, width: 300, height: 260))
        #expect(target.scaleDenominator(imageWidth: 1920, imageHeight: 1080) == 4)
    }
}
