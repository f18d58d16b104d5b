import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

@Suite struct FullyConnectedTests {
    static func run(_ options: FullyConnectedOptions, input: [Int8], inputShape: [Int], inputZeroPoint: Int32 = 0,
                    filter: [Int8], filterShape: [Int], bias: [Int32]?, outputShape: [Int], outputZeroPoint: Int32 = 0) -> [Int8] {
        let inputTensor = TestTensor(shape: inputShape, int8: input, scale: 1, zeroPoint: inputZeroPoint)
        let filterTensor = TestTensor(shape: filterShape, int8: filter, scale: 1)
        let biasTensor = bias.map { TestTensor(shape: [$0.count], int32: $0) }
        let outputTensor = TestTensor(shape: outputShape, scale: 1, zeroPoint: outputZeroPoint)
        FullyConnected(options: options, input: inputTensor.view, filter: filterTensor.view, bias: biasTensor?.view,
                       output: outputTensor.view).run()
        return outputTensor.int8Values
    }

    @Test func perTensorBatchTwo() {
        // Input raw [[1, 2, 3], [−1, 0, 4]] with zp_in 1 → real [[0, 1, 2], [−2, −1, 3]]; filter [[1, 2, 3], [−1, 1, 0]];
        // bias [10, −5]. b0: 0+2+6+10 = 18, 0+1+0−5 = −4.  b1: −2−2+9+10 = 15, 2−1+0−5 = −4.
        // One requantization ×1/2 (ties up): 9, −2, 7.5 → 8, −2; + zp_out −1 → 8, −3, 7, −3.
        let options = FullyConnectedOptions(requantization: [Requantization(multiplier: 1 << 30, shift: 0)])
        let output = Self.run(options, input: [1, 2, 3, -1, 0, 4], inputShape: [2, 3], inputZeroPoint: 1,
                              filter: [1, 2, 3, -1, 1, 0], filterShape: [2, 3], bias: [10, -5], outputShape: [2, 2],
                              outputZeroPoint: -1)
        #expect(output == [8, -3, 7, -3])
    }

    @Test func perChannelWithRankFourInputAndClamp() {
        // Input [1, 2, 1, 2] raw 5 6 −7 8 read as 2 rows of depth 2; filter [[1, 1], [2, −1], [0, 3]], no bias.
        // b0: 11, 10 − 6 = 4, 18.   b1: 1, −14 − 8 = −22, 24.
        // Per unit ×1, ×1/2, ×1/4: b0 → 11, 2, SRDHM(18) = 9 → RDBPOT(9, 1) = 4.5 → 5;  b1 → 1, −11, 12 → 6.
        // Clamp [0, 10] (a ReLU-style range): 10, 2, 5, 1, 0, 6.
        let options = FullyConnectedOptions(activation: ActivationRange(minimum: 0, maximum: 10), requantization: [
            Requantization(multiplier: 1 << 30, shift: 1), Requantization(multiplier: 1 << 30, shift: 0),
            Requantization(multiplier: 1 << 30, shift: -1),
        ])
        let output = Self.run(options, input: [5, 6, -7, 8], inputShape: [1, 2, 1, 2], filter: [1, 1, 2, -1, 0, 3],
                              filterShape: [3, 2], bias: nil, outputShape: [2, 3])
        #expect(output == [10, 2, 5, 1, 0, 6])
    }

    /// `reference_integer_ops::FullyConnected` / `FullyConnectedPerChannel`, literally (filter offset 0).
    static func naiveFullyConnected(input: [Int8], inputZeroPoint: Int32, filter: [Int8], units: Int, depth: Int, bias: [Int32]?,
                                    options: FullyConnectedOptions, outputZeroPoint: Int32) -> [Int8] {
        let batches = input.count / depth
        var output = [Int8](repeating: 0, count: batches * units)
        for b in 0..<batches {
            for outChannel in 0..<units {
                var acc: Int32 = 0
                for d in 0..<depth {
                    let inputValue = Int32(input[b * depth + d])
                    let filterValue = Int32(filter[outChannel * depth + d])
                    acc += filterValue * (inputValue - inputZeroPoint)
                }
                if let bias { acc += bias[outChannel] }
                let r = options.requantization.count == 1 ? options.requantization[0] : options.requantization[outChannel]
                acc = FixedPointTests.naiveMultiplyByQuantizedMultiplier(acc, r.multiplier, r.shift)
                acc += outputZeroPoint
                acc = max(acc, options.activation.minimum)
                acc = min(acc, options.activation.maximum)
                output[outChannel + units * b] = Int8(acc)
            }
        }
        return output
    }

    @Test func randomizedAgainstNaiveReference() {
        var random = SeededGenerator(seed: 0xFC_01)
        for _ in 0..<60 {
            let depth = [1, 3, 7, 16, 33].randomElement(using: &random)!
            let units = [1, 3, 7, 10].randomElement(using: &random)!
            let batches = Int.random(in: 1...3, using: &random)
            let inputShape: [Int] = switch Int.random(in: 0...2, using: &random) {
            case 0: [batches, depth]
            case 1: [batches, 1, 1, depth]
            default: [batches * depth]
            }
            let perChannel = Bool.random(using: &random)
            let requantization = (0..<(perChannel ? units : 1)).map { _ in
                Requantization(multiplier: Int32.random(in: (1 << 30) ... .max, using: &random), shift: Int32.random(in: -12 ... -4, using: &random))
            }
            let options = FullyConnectedOptions(activation: Bool.random(using: &random) ? .int8 : ActivationRange(minimum: -5, maximum: 100),
                                                requantization: requantization)
            let input = random.int8Values(batches * depth)
            let filter = random.int8Values(units * depth, in: -127...127)
            let bias: [Int32]? = Bool.random(using: &random) ? (0..<units).map { _ in Int32.random(in: -4000...4000, using: &random) } : nil
            let inputZeroPoint = Int32.random(in: -128...127, using: &random)
            let outputZeroPoint = Int32.random(in: -128...127, using: &random)
            let actual = Self.run(options, input: input, inputShape: inputShape, inputZeroPoint: inputZeroPoint, filter: filter,
                                  filterShape: [units, depth], bias: bias, outputShape: [batches, units], outputZeroPoint: outputZeroPoint)
            let expected = Self.naiveFullyConnected(input: input, inputZeroPoint: inputZeroPoint, filter: filter, units: units, depth: depth,
                                                    bias: bias, options: options, outputZeroPoint: outputZeroPoint)
            #expect(actual == expected, "input \(inputShape) units \(units) per-channel \(perChannel)")
        }
    }
}
