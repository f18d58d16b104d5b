import CurbModel
import Testing
@testable import CurbTrain

@Suite struct WindowGeometryTests {
    @Test func sameAndValidByHand() {
        // 64 wide, 3x3 stride 2 SAME: out = ceil(64 / 2) = 32; total padding (31·2 + 3 − 64) = 1 → 0 before.
        let same = WindowGeometry(inputHeight: 64, inputWidth: 64, filterHeight: 3, filterWidth: 3, strideHeight: 2,
                                  strideWidth: 2, padding: .same)
        #expect(same.outputHeight == 32 && same.outputWidth == 32 && same.padTop == 0 && same.padLeft == 0)
        // 5 wide, 3x3 stride 1 SAME: out 5, total 2 → 1 before.
        let centred = WindowGeometry(inputHeight: 5, inputWidth: 5, filterHeight: 3, filterWidth: 3, strideHeight: 1,
                                     strideWidth: 1, padding: .same)
        #expect(centred.outputWidth == 5 && centred.padLeft == 1)
        // 7 wide, 3x3 stride 2 VALID: (7 − 3) / 2 + 1 = 3, no padding.
        let valid = WindowGeometry(inputHeight: 7, inputWidth: 7, filterHeight: 3, filterWidth: 3, strideHeight: 2,
                                   strideWidth: 2, padding: .valid)
        #expect(valid.outputWidth == 3 && valid.padLeft == 0)
    }

    @Test func makeRejectsWindowsThatDoNotFit() {
        #expect(throws: TrainingError("Pool: a 3x3 window does not fit the 2x2 input")) {
            try WindowGeometry.make([1, 2, 2, 1], layer: "Pool", filter: (3, 3), stride: (1, 1), padding: .valid)
        }
    }
}
