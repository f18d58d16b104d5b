@testable import CurbImage
import Testing

@Suite struct PixelRegionTests {
    @Test func fitsInsideImage() {
        #expect(PixelRegion(x: 0, y: 0, width: 10, height: 10).fits(width: 10, height: 10))
        #expect(!PixelRegion(x: 1, y: 0, width: 10, height: 10).fits(width: 10, height: 10))
        #expect(!PixelRegion(x: 0, y: 0, width: 0, height: 10).fits(width: 10, height: 10))
        #expect(!PixelRegion(x: -1, y: 0, width: 5, height: 5).fits(width: 10, height: 10))
    }

    @Test func scalesOutwards() {
        // 165x123 decoded at 1/4 is 42x31. x: 10*42/165 = 2.5 -> 2; end (10+50)*42/165 = 15.3 -> 16.
        let region = PixelRegion(x: 10, y: 20, width: 50, height: 40).scaled(fromWidth: 165, height: 123, toWidth: 42, height: 31)
        // y: 20*31/123 = 5.04 -> 5; end 60*31/123 = 15.1 -> 16.
        #expect(region == PixelRegion(x: 2, y: 5, width: 14, height: 11))
    }
}
