import CKernels
import CurbModel
import CurbRuntime
import CurbTestKit
import Testing

/// `curb_requantize_row` on every instruction set this CPU has equals TFLite's two-step requantization
/// (``FixedPoint/multiplyByQuantizedMultiplier(_:_:)``) on every shift, on edge multipliers, and on
/// accumulators placed at both rounding ties: the kernels' one-rounding form is a derivation, and this is
/// where it is checked.
@Suite struct RequantizeRowTests {
    /// Multipliers: zero, tiny, powers of two (every product a tie candidate), the extremes, random ones.
    static func multipliers(_ generator: inout SeededGenerator) -> [Int32] {
        [0, 1, 2, 3, 1 << 29, 1 << 30, (1 << 30) + 1, Int32.max - 1, Int32.max,
         Int32.random(in: (1 << 30)...Int32.max, using: &generator),
         Int32.random(in: (1 << 30)...Int32.max, using: &generator),
         Int32.random(in: 0...Int32.max, using: &generator)]
    }

    /// Inputs around the points where SRDHM's result lands on RDBPOT's half-way values (x·m ≈ (j + ½)·2^(31+e)),
    /// and where SRDHM itself ties, both signs, plus the int32 extremes and random values.
    static func inputs(multiplier: Int32, rightShift: Int32, _ generator: inout SeededGenerator) -> [Int32] {
        var values: [Int32] = [0, 1, -1, 2, -2, Int32.min, Int32.min + 1, Int32.max, Int32.max - 1]
        for _ in 0..<8 { values.append(Int32.random(in: Int32.min...Int32.max, using: &generator)) }
        guard multiplier > 0 else { return values }
        // |2j + 1|·2^(30+e) stays below 2^62.
        let limit = Int64(min(300, (1 << (31 - Int(rightShift))) - 1))
        for _ in 0..<6 {
            let j = Int64.random(in: -limit...limit, using: &generator)
            let halfway = (2 * j + 1) << (30 + Int64(rightShift))   // (j + ½)·2^(31+e), as an x·m target
            for target in [halfway, halfway + (1 << 30), halfway - (1 << 30)] {
                let center = target / Int64(multiplier)
                for delta in Int64(-2)...2 {
                    let x = center + delta
                    if x >= Int64(Int32.min) && x <= Int64(Int32.max) { values.append(Int32(x)) }
                }
            }
        }
        return values
    }

    @Test("every instruction set's requantize_row equals the two-step reference on every shift", arguments: FastKernelSupport.selections)
    func matchesReference(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 0x5EED_0F_0A1)
        var accumulators: [Int32] = [], offsets: [Int32] = [], multipliers: [Int32] = []
        var leftShifts: [Int32] = [], rightShifts: [Int32] = [], expected: [Int32] = []
        for shift in Requantization.shiftRange {
            for multiplier in Self.multipliers(&generator) {
                let requantization = Requantization(multiplier: multiplier, shift: shift)
                for x in Self.inputs(multiplier: multiplier, rightShift: max(-shift, 0), &generator) {
                    // Half the cases split x into accumulator + offset (the sum wraps, as in the kernels).
                    let offset = Bool.random(using: &generator) ? Int32.random(in: Int32.min...Int32.max, using: &generator) : 0
                    accumulators.append(x &- offset)
                    offsets.append(offset)
                    multipliers.append(multiplier)
                    leftShifts.append(max(shift, 0))
                    rightShifts.append(max(-shift, 0))
                    expected.append(FixedPoint.multiplyByQuantizedMultiplier(x, requantization))
                }
            }
        }
        // One output zero point per row cannot move every element into int8, so each element runs alone with
        // zero point −expected + r: the output is r exactly when the scaled value matches, whatever its size.
        var mismatches = 0
        for index in accumulators.indices {
            let landing = Int32.random(in: -100...100, using: &generator)
            let zeroPoint = landing &- expected[index]
            var output: Int8 = 0
            curb_requantize_row(selection.instructionSet!, [accumulators[index]], [offsets[index]], [multipliers[index]],
                                [leftShifts[index]], [rightShifts[index]], 1, zeroPoint, -128, 127, &output)
            if Int32(output) != landing { mismatches += 1 }
        }
        #expect(accumulators.count > 50_000)
        #expect(mismatches == 0)
    }

    @Test("vector lanes and the scalar tail agree on a long row", arguments: FastKernelSupport.selections)
    func longRows(selection: KernelSelection) {
        var generator = SeededGenerator(seed: 77)
        for count in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200] {
            let accumulators = (0..<count).map { _ in Int32.random(in: -200_000...200_000, using: &generator) }
            let offsets = (0..<count).map { _ in Int32.random(in: -5_000...5_000, using: &generator) }
            let requantizations = (0..<count).map { _ in FastKernelSupport.requantization(&generator) }
            let zeroPoint = Int32.random(in: -128...127, using: &generator)
            var output = [Int8](repeating: 0, count: count)
            curb_requantize_row(selection.instructionSet!, accumulators, offsets, requantizations.map(\.multiplier),
                                requantizations.map { max($0.shift, 0) }, requantizations.map { max(-$0.shift, 0) },
                                Int32(count), zeroPoint, -128, 127, &output)
            for index in 0..<count {
                let scaled = FixedPoint.multiplyByQuantizedMultiplier(accumulators[index] &+ offsets[index],
                                                                      requantizations[index])
                let reference = Int8(clamping: scaled &+ zeroPoint)   // wraps, as the reference kernels do
                #expect(output[index] == reference, "element \(index) of \(count)")
            }
        }
    }
}
