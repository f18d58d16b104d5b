@testable import CurbModel
import Testing

@Suite struct ModelValidatorTests {
    static func validate(_ model: Model) -> ModelError? {
        modelError { () throws(ModelError) in try ModelValidator.validate(model) }
    }

    @Test func sampleIsValid() {
        #expect(Self.validate(SampleModels.convNet()) == nil)
    }

    @Test func constantOffsetAnywhereIsRefusedWithoutOverflow() {
        // A model built in memory can hold any offset; the check (and its message) must not overflow.
        for offset in [Int.max, Int.max - 3, -64] {
            var model = SampleModels.convNet()
            model.tensors[2].storage = .constant(offset: offset)
            let error = Self.validate(model)
            #expect(error?.code == .outOfBounds)
            #expect(error?.tensorIndex == 2)
            #expect(error?.field == "offset")
        }
    }

    @Test func perChannelScalesMustMatchAxis() {
        var model = SampleModels.convNet()
        model.tensors[1].quantization?.axis = 3  // filter [4,3,3,3]: 4 scales do not match 3 channels
        let error = Self.validate(model)
        #expect(error?.code == .quantization)
        #expect(error?.field == "axis")
        #expect(error?.tensorIndex == 1)
    }

    @Test func int8ZeroPointRange() {
        var model = SampleModels.convNet()
        model.tensors[0].quantization?.zeroPoint = 128
        let error = Self.validate(model)
        #expect(error?.code == .quantization)
        #expect(error?.field == "zero_point")
    }

    @Test func graphNeedsInputsAndOutputs() {
        var model = SampleModels.convNet()
        model.inputs = []
        #expect(Self.validate(model)?.field == "inputs")
        var constantInput = SampleModels.convNet()
        constantInput.inputs = [1]
        #expect(Self.validate(constantInput)?.code == .invalidValue)
    }

    @Test func operatorMustNotWriteConstantsOrTwice() {
        var constant = SampleModels.convNet()
        constant.operators[1].outputs = [1]
        let constantError = Self.validate(constant)
        #expect(constantError?.code == .invalidValue)
        #expect(constantError?.operatorIndex == 1)

        var twice = SampleModels.convNet()
        twice.operators[1].outputs = [3]
        let twiceError = Self.validate(twice)
        #expect(twiceError?.code == .graphOrder)
        #expect(twiceError?.operatorIndex == 1)
    }

    @Test func preprocessingRecipeRules() {
        func check(_ mean: [Float], _ deviation: [Float]) -> ModelError? {
            var model = SampleModels.convNet()
            model.metadata.preprocessing?.mean = mean
            model.metadata.preprocessing?.standardDeviation = deviation
            return Self.validate(model)
        }
        #expect(check([1], [2]) == nil)
        #expect(check([], [])?.field == "preprocessing.mean")
        #expect(check([0, 0, 0, 0, 0], [1, 1, 1, 1, 1])?.field == "preprocessing.mean")
        #expect(check([0, 0, 0], [1, 1])?.field == "preprocessing.standard_deviation")
        #expect(check([0, .infinity, 0], [1, 1, 1])?.field == "preprocessing.mean")
        #expect(check([0, 0, 0], [1, -1, 1])?.field == "preprocessing.standard_deviation")
        #expect(check([0, 0, 0], [1, .nan, 1])?.code == .invalidValue)
    }
}
