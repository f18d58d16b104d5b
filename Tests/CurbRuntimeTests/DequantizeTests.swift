import Testing
import CurbModel
import CurbTestKit
@testable import CurbRuntime

@Suite struct DequantizeTests {
    @Test func computesInDoubleThenRoundsToFloat() {
        // scale 0.1f (= 0.100000001490116…), zp 3: x = 13 → 10 · 0.1000000015 = 1.000000015 → nearest float 1.0;
        // x = 3 → 0; x = −128 → −131 · 0.1000000015 → Float(−13.100000195…) = −13.1f.
        let input = TestTensor(shape: [3], int8: [13, 3, -128], scale: 0.1, zeroPoint: 3)
        let output = TestTensor(shape: [3], type: .float32)
        DequantizeOptions().makeKernel(kind: .dequantize, inputs: [input.view], outputs: [output.view]).run()
        #expect(output.float32Values == [1.0, 0, -13.1])
    }

    @Test func everyValueAgainstNaiveReference() {
        var generator = SeededGenerator(seed: 0xDE0)
        for _ in 0..<20 {
            let scale = Float.random(in: 1e-5...10, using: &generator)
            let zeroPoint = Int32.random(in: -128...127, using: &generator)
            let raw = (-128...127).map { Int8($0) }
            let input = TestTensor(shape: [16, 16], int8: raw, scale: scale, zeroPoint: zeroPoint)
            let output = TestTensor(shape: [16, 16], type: .float32)
            DequantizeOptions().makeKernel(kind: .dequantize, inputs: [input.view], outputs: [output.view]).run()
            // static_cast<float>(double(scale) * (val - zero_point))
            #expect(output.float32Values == raw.map { Float(Double(scale) * Double(Int32($0) - zeroPoint)) })
        }
    }
}
