import Testing
@testable import CurbTrain

@Suite struct ParameterTests {
    @Test func gradientStartsAndResetsToZero() {
        let parameter = Parameter(name: "w", value: FloatTensor(shape: [2, 2], repeating: 1), decays: true)
        #expect(parameter.gradient.shape == [2, 2] && parameter.gradient.values == [0, 0, 0, 0])
        parameter.gradient.values = [1, 2, 3, 4]
        parameter.zeroGradient()
        #expect(parameter.gradient.values == [0, 0, 0, 0])
        #expect(parameter.value.values == [1, 1, 1, 1])
    }
}
