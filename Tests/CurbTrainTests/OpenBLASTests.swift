import Testing
@testable import CurbTrain

@Suite struct OpenBLASTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesTripleLoop(transposeA: Bool, transposeB: Bool) {
        // C (3×4) = 0.5 · op(A) (3×5) · op(B) (5×4) + 2 · C, against a plain loop over the stored layouts.
        var generator = RandomSource(seed: 2)
        let (m, n, k) = (3, 4, 5)
        let a = FloatTensor.random(shape: [m * k], in: -1...1, using: &generator).values
        let b = FloatTensor.random(shape: [k * n], in: -1...1, using: &generator).values
        var c = FloatTensor.random(shape: [m * n], in: -1...1, using: &generator).values
        var expected = c
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j])
                }
                expected[i * n + j] = 0.5 * sum + 2 * expected[i * n + j]
            }
        }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    OpenBLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                                  a: a.baseAddress!, lda: transposeA ? m : k, b: b.baseAddress!, ldb: transposeB ? k : n,
                                  beta: 2, c: c.baseAddress!, ldc: n)
                }
            }
        }
        for index in 0..<(m * n) { #expect(abs(c[index] - expected[index]) < 1e-5) }
    }

    @Test func threadCountIsSettable() {
        let before = OpenBLAS.threadCount
        OpenBLAS.setThreadCount(1)
        #expect(OpenBLAS.threadCount == 1)
        OpenBLAS.setThreadCount(before)
    }
}
