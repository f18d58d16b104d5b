import CurbModel
import CurbRuntime
import CurbTestKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ThreadPoolTests {
    /// Between frames the workers park: over a 300 ms idle window they use (almost) no CPU. Their own CPU
    /// clocks are read, so other tests running in parallel do not disturb the measurement.
    @Test func idleWorkersUseNoCPU() throws {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN(), threads: 3)
        let pool = try #require(interpreter.threadPool)
        #expect(pool.threads == 3)
        for _ in 0..<50 { interpreter.invoke() }
        let busy = pool.workerCPUNanoseconds
        usleep(50_000)        // past the spin window (0.1 ms)
        let start = pool.workerCPUNanoseconds
        usleep(300_000)
        let idle = pool.workerCPUNanoseconds - start
        print("idle pool: 2 workers used \(idle) ns of CPU in 300 ms (\(busy) ns while working)")
        #expect(idle < 3_000_000, "workers must park when idle (\(idle) ns in 300 ms)")
    }

    /// The positive control: while invoking, the workers do run (the split really uses them).
    @Test func workersTakePartInInvokes() throws {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN(), threads: 2)
        let pool = try #require(interpreter.threadPool)
        let start = pool.workerCPUNanoseconds
        for _ in 0..<200 { interpreter.invoke() }
        #expect(pool.workerCPUNanoseconds > start)
    }

    /// No heap allocation per invoke at any thread count, on every thread (the workers included).
    @Test(arguments: [1, 2, 3])
    func invokeAllocatesNothing(threads: Int) throws {
        for selection in FastKernelSupport.selections {
            let interpreter = try Interpreter(model: ExampleModels.tinyCNN(), threads: threads, kernels: selection)
            interpreter.invoke()
            // The calling thread's count; the workers run only C kernels, which never call the allocator.
            let allocations = allocationCount {
                for _ in 0..<200 { interpreter.invoke() }
            }
            #expect(allocations == 0, "\(selection.name), \(threads) threads")
        }
    }

    @Test func threadCountIsClamped() {
        #expect(ThreadPool(threads: 0).threads == 1)
        #expect(ThreadPool(threads: 1).threads == 1)
        #expect(ThreadPool(threads: 2).threads == 2)
    }
}
