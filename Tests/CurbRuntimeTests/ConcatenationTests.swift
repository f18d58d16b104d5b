import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct ConcatenationTests {
    @Test func channelsAxisThree() {
        // [1, 1, 2, 2] ++ [1, 1, 2, 1] on axis 3: per pixel, a's two channels then b's one.
        let a = TestTensor(shape: [1, 1, 2, 2], int8: [1, 2, 3, 4], scale: 0.5)
        let b = TestTensor(shape: [1, 1, 2, 1], int8: [9, 8], scale: 0.5)
        let out = TestTensor(shape: [1, 1, 2, 3], scale: 0.5)
        ConcatenationOptions(axis: 3).makeKernel(kind: .concatenation, inputs: [a.view, b.view], outputs: [out.view]).run()
        #expect(out.int8Values == [1, 2, 9, 3, 4, 8])
    }

    @Test func rowsAxisOne() {
        // [2, 1, 2] ++ [2, 2, 2] on axis 1: for each batch, a's row then b's two rows.
        let a = TestTensor(shape: [2, 1, 2], int8: [1, 2, 3, 4], scale: 1)
        let b = TestTensor(shape: [2, 2, 2], int8: [10, 11, 12, 13, 20, 21, 22, 23], scale: 1)
        let out = TestTensor(shape: [2, 3, 2], scale: 1)
        ConcatenationOptions(axis: 1).makeKernel(kind: .concatenation, inputs: [a.view, b.view], outputs: [out.view]).run()
        #expect(out.int8Values == [1, 2, 10, 11, 12, 13, 3, 4, 20, 21, 22, 23])
    }

    @Test func threeInputsOnAxisZeroAndFloat() {
        let a = TestTensor(shape: [1, 2], float32: [1, 2])
        let b = TestTensor(shape: [2, 2], float32: [3, 4, 5, 6])
        let c = TestTensor(shape: [1, 2], float32: [7, 8])
        let out = TestTensor(shape: [4, 2], type: .float32)
        ConcatenationOptions(axis: 0).makeKernel(kind: .concatenation, inputs: [a.view, b.view, c.view], outputs: [out.view]).run()
        #expect(out.float32Values == [1, 2, 3, 4, 5, 6, 7, 8])
    }
}
