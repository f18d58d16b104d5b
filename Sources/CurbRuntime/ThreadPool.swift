import CKernels

/// The interpreter's persistent worker threads, created at load: `threads − 1` workers plus the caller.
///
/// Workers spin for about 0.1 ms after each job (layers follow each other within microseconds), then park
/// on a futex, so an idle interpreter uses no CPU between frames. The pool itself is C (`curb_pool`) because
/// the futex system call cannot be made from Swift.
public final class ThreadPool: @unchecked Sendable {
    let pool: OpaquePointer?
    /// Threads taking part in each job, the caller included.
    public let threads: Int

    /// The online processor count: the default thread count.
    public static var processorCount: Int { Int(curb_processor_count()) }

    /// Starts `threads − 1` worker threads (`threads` is clamped to 1...256); falls back to the calling thread
    /// alone if the system refuses a thread.
    public init(threads: Int) {
        let count = Int32(min(max(threads, 1), 256))
        if count == 1 {
            pool = nil
            self.threads = 1
        } else if let created = curb_pool_create(count) {
            pool = created
            self.threads = Int(curb_pool_threads(created))
        } else {
            pool = nil
            self.threads = 1
        }
    }

    /// CPU time the worker threads (not the caller) have used, in nanoseconds.
    public var workerCPUNanoseconds: Int64 { curb_pool_worker_cpu_nanoseconds(pool) }

    deinit {
        if let pool { curb_pool_destroy(pool) }
    }
}
