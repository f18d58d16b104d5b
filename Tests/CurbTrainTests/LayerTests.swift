import Testing
@testable import CurbTrain

@Suite struct LayerTests {
    @Test func imageShapeCheck() throws {
        let shape = try ShapeCheck.image([2, 3, 4, 5], layer: "L", channels: 5)
        #expect(shape.n == 2 && shape.h == 3 && shape.w == 4 && shape.c == 5)
        #expect(throws: TrainingError("L: input shape [2, 3, 4] is not [N, H, W, C]")) { try ShapeCheck.image([2, 3, 4], layer: "L") }
        #expect(throws: TrainingError("L: input shape [2, 0, 4, 5] is not [N, H, W, C]")) { try ShapeCheck.image([2, 0, 4, 5], layer: "L") }
    }

    @Test func layersWithoutParametersReportNone() {
        #expect(ReLU().parameters.isEmpty && Flatten().parameters.isEmpty && MaxPool2D().parameters.isEmpty)
    }
}
