import COpenBLAS

/// The float GEMMs of training, through OpenBLAS's CBLAS interface (Debian's libopenblas-dev).
public enum OpenBLAS {
    /// Sets how many threads OpenBLAS uses for each GEMM. Call once before training; the library's own
    /// default (every core, or `OPENBLAS_NUM_THREADS`) is not what a shared build machine wants.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "thread count must be at least 1")
        openblas_set_num_threads(Int32(count))
    }

    /// The thread count OpenBLAS will use.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major: `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is
    /// `m × n`; `lda`, `ldb`, `ldc` are the row strides of the matrices as stored.
    static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max), "matrix too large for 32-bit BLAS")
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
