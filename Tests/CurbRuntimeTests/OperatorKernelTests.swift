import Testing
import CurbModel
@testable import CurbRuntime
import CurbTestKit

@Suite struct KernelAllocationTests {
    @Test func runAllocatesNothing() throws {
        let a = TestTensor(shape: [2, 1, 3], int8: [1, 2, 3, 4, 5, 6], scale: 0.5)
        let b = TestTensor(shape: [4, 1], int8: [1, 2, 3, 4], scale: 0.5)
        let sum = TestTensor(shape: [2, 4, 3], scale: 0.5)
        let probabilities = TestTensor(shape: [2, 1, 3], scale: 1.0 / 256, zeroPoint: -128)
        let padded = TestTensor(shape: [2, 3, 5], scale: 0.5)
        let joined = TestTensor(shape: [2, 2, 3], scale: 0.5)
        let floats = TestTensor(shape: [2, 1, 3], type: .float32)
        let same = TestTensor(shape: [3, 2], scale: 0.5)
        let sliced = try StridedSliceOptions.resolve(shape: TensorShape([2, 1, 3]), begin: [0, 0, 2], end: [2, 1, 0], strides: [1, 1, -1])
        let sliceOutput = TestTensor(shape: sliced.outputShape, scale: 0.5)
        let kernels: [any OperatorKernel] = [
            try AddOptions.make(input1Scale: 0.5, input2Scale: 0.5, outputScale: 0.5, outputZeroPoint: 0)
                .makeKernel(kind: .add, inputs: [a.view, b.view], outputs: [sum.view]),
            try MulOptions.make(input1Scale: 0.5, input2Scale: 0.5, outputScale: 0.5, outputZeroPoint: 0)
                .makeKernel(kind: .mul, inputs: [a.view, b.view], outputs: [sum.view]),
            try SoftmaxOptions.make(inputScale: 0.5).makeKernel(kind: .softmax, inputs: [a.view], outputs: [probabilities.view]),
            try LookupTableOptions.logistic(inputScale: 0.5, inputZeroPoint: 0, outputScale: 1.0 / 256, outputZeroPoint: -128)
                .makeKernel(kind: .logistic, inputs: [a.view], outputs: [probabilities.view]),
            try HardSwishOptions.make(inputScale: 0.5, outputScale: 0.5).makeKernel(kind: .hardSwish, inputs: [a.view], outputs: [same.view]),
            try ReluOptions.relu6(inputScale: 0.5, outputScale: 0.5, outputZeroPoint: 0)
                .makeKernel(kind: .relu6, inputs: [a.view], outputs: [same.view]),
            ReshapeOptions().makeKernel(kind: .reshape, inputs: [a.view], outputs: [same.view]),
            PadOptions(before: [0, 1, 1], after: [0, 1, 1], value: 0).makeKernel(kind: .pad, inputs: [a.view], outputs: [padded.view]),
            ConcatenationOptions(axis: 1).makeKernel(kind: .concatenation, inputs: [a.view, a.view], outputs: [joined.view]),
            sliced.options.makeKernel(kind: .stridedSlice, inputs: [a.view], outputs: [sliceOutput.view]),
            QuantizeOptions().makeKernel(kind: .quantize, inputs: [floats.view], outputs: [same.view]),
            DequantizeOptions().makeKernel(kind: .dequantize, inputs: [a.view], outputs: [floats.view]),
        ]
        // The counter sees an allocation on this thread.
        #expect(allocationCount { _ = [Int](repeating: 1, count: 64) } > 0)
        for kernel in kernels {
            kernel.run()  // warm up lazily initialized runtime state
            #expect(allocationCount { kernel.run() } == 0, "\(type(of: kernel))")
        }
    }
}
