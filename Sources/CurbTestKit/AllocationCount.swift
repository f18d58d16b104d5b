import CMallocCounter

/// Heap allocation calls `body` makes on the calling thread (counted by the CMallocCounter interposer linked
/// into every test binary): the hot-path rule is that `invoke` and each kernel's `run` make none.
public func allocationCount(_ body: () throws -> Void) rethrows -> UInt64 {
    let before = malloc_counter_thread_allocations()
    try body()
    return malloc_counter_thread_allocations() - before
}
