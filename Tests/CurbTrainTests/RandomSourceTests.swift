import Testing
@testable import CurbTrain

@Suite struct RandomSourceTests {
    @Test func splitMix64ReferenceValues() {
        // SplitMix64 from seed 0: the first output of Vigna's reference splitmix64.c is 0xE220A8397B1DCDAF.
        var generator = RandomSource(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func uniformAndNormalMoments() {
        // 20 000 draws: uniform mean 1/2 (sd of the mean 0.002), normal mean 0 and variance 1 (sd of the
        // variance estimate sqrt(2 / 20000) = 0.01); bounds at about 5 sd.
        var generator = RandomSource(seed: 1)
        let uniforms = (0..<20_000).map { _ in generator.uniform() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniforms.reduce(0, +) / 20_000 - 0.5) < 0.01)
        let normals = (0..<20_000).map { _ in Double(generator.normal()) }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20_000
        #expect(abs(mean) < 0.04 && abs(variance - 1) < 0.05)
    }

    @Test func splitStreamsDiffer() {
        var generator = RandomSource(seed: 5)
        var child = generator.split()
        #expect(child.next() != generator.next())
    }
}
