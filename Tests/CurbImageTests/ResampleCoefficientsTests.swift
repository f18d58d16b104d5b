@testable import CurbImage
import Testing

@Suite struct ResampleCoefficientsTests {
    /// 4 -> 2 bilinear: scale 2, support 2, centres 1.0 and 3.0. For output 0: taps x = 0, 1, 2
    /// (first = int(1 - 2 + 0.5) = 0, end = int(1 + 2 + 0.5) = 3), filter arguments (x - 1 + 0.5) / 2 =
    /// -0.25, 0.25, 0.75 -> weights 0.75, 0.75, 0.25, normalised by 1.75 -> 3/7, 3/7, 1/7, in 22-bit
    /// fixed point round(2^22 * 3/7) = 1797559, round(2^22 / 7) = 599186.
    @Test func bilinearHalvingByHand() {
        let coefficients = ResampleCoefficients()
        coefficients.compute(inputSize: 4, start: 0, end: 4, outputSize: 2, interpolation: .bilinear)
        #expect(coefficients.kernelSize == 5)
        #expect(coefficients.bounds[0] == 0 && coefficients.bounds[1] == 3)
        #expect(Array(UnsafeBufferPointer(start: coefficients.weights, count: 3)) == [1797559, 1797559, 599186])
        // Output 1 mirrors it: taps 1, 2, 3 with weights 1/7, 3/7, 3/7.
        #expect(coefficients.bounds[2] == 1 && coefficients.bounds[3] == 3)
        #expect(Array(UnsafeBufferPointer(start: coefficients.weights + 5, count: 3)) == [599186, 1797559, 1797559])
    }

    /// 6 -> 2 area: scale 3, support 1.5; output 0 centred at 1.5 reads x = 0, 1, 2 (box test on
    /// (x - 1.5 + 0.5) / 3 = -1/3, 0, 1/3: all inside) -> 1/3 each = round(2^22 / 3) = 1398101.
    @Test func areaIsABoxAverage() {
        let coefficients = ResampleCoefficients()
        coefficients.compute(inputSize: 6, start: 0, end: 6, outputSize: 2, interpolation: .area)
        #expect(coefficients.bounds[0] == 0 && coefficients.bounds[1] == 3)
        #expect(Array(UnsafeBufferPointer(start: coefficients.weights, count: 3)) == [1398101, 1398101, 1398101])
        #expect(coefficients.inputSpan == (first: 0, end: 6))
    }

    /// Upscaling keeps the filter at its own width: 2 -> 4 bilinear, output 0 centred at 0.25 reads only
    /// pixel 0 (first = int(0.25 - 1 + 0.5) = 0 after clamping, end = int(1.75) = 1) -> weight 1.
    @Test func upscaleClampsAtTheEdge() {
        let coefficients = ResampleCoefficients()
        coefficients.compute(inputSize: 2, start: 0, end: 2, outputSize: 4, interpolation: .bilinear)
        #expect(coefficients.bounds[0] == 0 && coefficients.bounds[1] == 1)
        #expect(coefficients.weights[0] == 1 << 22)
        // Output 1 centred at 0.75: taps 0 and 1, arguments 0.25 - 0.5... (0 - 0.75 + 0.5) = -0.25 -> 0.75,
        // (1 - 0.75 + 0.5) = 0.75 -> 0.25.
        #expect(coefficients.bounds[2] == 0 && coefficients.bounds[3] == 2)
        #expect(coefficients.weights[3] == 3 << 20 && coefficients.weights[4] == 1 << 20)
    }
}
