import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct ReshapeTests {
    @Test func copiesBytesInOrder() {
        let input = TestTensor(shape: [2, 3], int8: [1, 2, 3, 4, 5, 6], scale: 0.5, zeroPoint: 1)
        let output = TestTensor(shape: [3, 1, 2], scale: 0.5, zeroPoint: 1)
        ReshapeOptions().makeKernel(kind: .reshape, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.int8Values == [1, 2, 3, 4, 5, 6])
    }

    @Test func copiesFloatTensorsAndRunsInPlace() {
        let input = TestTensor(shape: [4], float32: [1.5, -2, 3.25, 0])
        let output = TestTensor(shape: [2, 2], type: .float32)
        ReshapeOptions().makeKernel(kind: .reshape, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.float32Values == [1.5, -2, 3.25, 0])
        // Output planned on the input's bytes: nothing to do, nothing changes.
        let aliased = TensorView(data: input.view.data, shape: TensorShape([2, 2]), type: .float32)
        ReshapeOptions().makeKernel(kind: .reshape, inputs: [input.view], outputs: [aliased]).run()
        #expect(input.float32Values == [1.5, -2, 3.25, 0])
    }
}
