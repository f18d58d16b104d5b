import Testing
@testable import CurbTrain

@Suite struct AugmentationTests {
    static let width = 4, height = 3
    static func image(seed: UInt64) -> [Float] {
        var generator = RandomSource(seed: seed)
        return FloatTensor.random(shape: [width * height * 3], in: -0.5...0.5, using: &generator).values
    }
    static let ranges: [ClosedRange<Float>] = Array(repeating: -1...1, count: 3)

    static func run(_ augmentation: Augmentation, _ source: [Float], seed: UInt64, deviations: [Float] = [127.5, 127.5, 127.5]) -> [Float] {
        var generator = RandomSource(seed: seed)
        var output = [Float](repeating: .nan, count: source.count)
        augmentation.apply(source, into: &output, width: width, height: height, standardDeviations: deviations, ranges: ranges,
                           generator: &generator)
        return output
    }

    @Test func noneCopies() {
        let source = Self.image(seed: 1)
        #expect(Self.run(.none, source, seed: 2) == source)
        #expect(Augmentation.none.isIdentity && !Augmentation.standard.isIdentity)
    }

    @Test func flipMirrorsExactlyOrLeavesAlone() {
        // Mirroring maps column x to width − 1 − x exactly (integer sample positions, no interpolation).
        let source = Self.image(seed: 3)
        var mirrored = source
        for y in 0..<Self.height { for x in 0..<Self.width { for c in 0..<3 {
            mirrored[(y * Self.width + x) * 3 + c] = source[(y * Self.width + Self.width - 1 - x) * 3 + c]
        } } }
        var seen = Set<Bool>()
        for seed in 0..<20 as Range<UInt64> {
            let output = Self.run(Augmentation(horizontalFlip: true), source, seed: seed)
            #expect(output == source || output == mirrored)
            seen.insert(output == mirrored)
        }
        #expect(seen == [true, false])
    }

    @Test func brightnessShiftsEveryChannelByTheSameAmountInPixelUnits() {
        // Standard deviations 1, 2, 4 (pixel units per real unit): a brightness δ moves channel c by δ / std[c].
        let source = Self.image(seed: 4)
        let output = Self.run(Augmentation(maximumBrightness: 0.001), source, seed: 5, deviations: [1, 2, 4])
        let shifts = (0..<3).map { output[$0] - source[$0] }
        #expect(shifts[0] != 0)
        for pixel in 0..<(Self.width * Self.height) {
            for c in 0..<3 { #expect(abs(output[pixel * 3 + c] - source[pixel * 3 + c] - shifts[c]) < 1e-5) }
        }
        #expect(abs(shifts[0] - 2 * shifts[1]) < 1e-5 && abs(shifts[1] - 2 * shifts[2]) < 1e-5)
    }

    @Test func contrastKeepsChannelMeansAndEverythingStaysInRange() {
        let source = Self.image(seed: 6)
        let output = Self.run(Augmentation(maximumContrast: 0.5), source, seed: 7)
        for c in 0..<3 {
            let before = stride(from: c, to: source.count, by: 3).map { source[$0] }.reduce(0, +)
            let after = stride(from: c, to: output.count, by: 3).map { output[$0] }.reduce(0, +)
            #expect(abs(before - after) < 1e-4)
        }
        let strong = Self.run(.standard, source.map { $0 * 2 }, seed: 8)
        #expect(strong.allSatisfy { (-1...1).contains($0) })
        #expect(strong == Self.run(.standard, source.map { $0 * 2 }, seed: 8))
    }
}
