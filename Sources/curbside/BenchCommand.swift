import ArgumentParser
import CMallocCounter
import CurbModel
import CurbPipeline
import CurbRuntime
import CurbToolSupport
#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// `curbside bench --model MODEL [--threads N] [--iterations N] [--warmup N] [--profile] [--json]`
///
/// Measures; asserts nothing. Heap allocations are counted by the malloc interposer linked into this binary
/// (`CMallocCounter`: it forwards to glibc and counts calls of every thread), read before and after the timed
/// invokes and divided by their number.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a model's invoke: latency percentiles, throughput, memory, allocations, time per operator.",
        discussion: """
            The input is filled with a fixed pseudo-random pattern (the kernels' speed does not depend on the values). \
            Latencies are per invoke, after the warm-up invokes. Peak RSS is the process's high-water mark (VmHWM): \
            the model file, the arena and the runtime, measured after the run.
            """)

    @Option(help: "The .curb model file.")
    var model: String

    @Option(help: "Threads for the fast kernels (default: the number of online processors).")
    var threads: Int?

    @Option(help: "Timed invokes.")
    var iterations = 200

    @Option(help: "Untimed invokes first.")
    var warmup = 20

    @Option(help: ArgumentHelp(stringLiteral: KernelSelection.optionHelp))
    var kernels = "automatic"

    @Flag(help: "Also time each operator (separate pass, same number of iterations).")
    var profile = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Also run the reference kernels on the same input and report whether every output byte is equal.")
    var verify = false

    @Flag(help: "Skip only the CRC-32 check of the model file.")
    var ignoreChecksum = false

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be in 1...256") }
        guard KernelSelection(optionName: kernels) != nil else { throw ValidationError(KernelSelection.optionError) }
    }

    func run() throws {
        let (model, _) = try ModelLoading.read(self.model, verifyChecksum: !ignoreChecksum)
        let selection = KernelSelection(optionName: kernels)!
        let interpreter = try ModelLoading.interpreter(for: model, path: self.model,
                                                       threads: threads ?? Interpreter.defaultThreads, kernels: selection)
        for position in model.inputs.indices {
            let view = interpreter.input(position)
            var generator = SplitMix(state: 0x5EED &+ UInt64(position))
            let bytes = view.data.assumingMemoryBound(to: UInt8.self)
            for index in 0..<view.byteCount { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        }
        for _ in 0..<warmup { interpreter.invoke() }
        var identical: Bool?
        if verify {
            identical = try Self.matchesReference(interpreter, model: model, path: self.model)
        }

        var latencies = [Double](repeating: 0, count: iterations)
        let allocationsBefore = malloc_counter_total_allocations()
        let started = MonotonicClock.nanoseconds()
        for iteration in 0..<iterations {
            let start = MonotonicClock.nanoseconds()
            interpreter.invoke()
            latencies[iteration] = MonotonicClock.milliseconds(since: start)
        }
        let totalSeconds = Double(MonotonicClock.nanoseconds() &- started) / 1e9
        let allocations = malloc_counter_total_allocations() &- allocationsBefore

        var operatorMilliseconds = [Double](repeating: 0, count: interpreter.operatorCount)
        if profile {
            for _ in 0..<iterations {
                for index in 0..<interpreter.operatorCount {
                    let start = MonotonicClock.nanoseconds()
                    interpreter.invoke(operatorAt: index)
                    operatorMilliseconds[index] += MonotonicClock.milliseconds(since: start)
                }
            }
            operatorMilliseconds = operatorMilliseconds.map { $0 / Double(iterations) }
        }

        let sorted = latencies.sorted()
        let report = Report(
            model: self.model, kernels: selection.name, threads: interpreter.threads, iterations: iterations,
            minimum: sorted[0], median: Self.percentile(sorted, 50), p90: Self.percentile(sorted, 90),
            p99: Self.percentile(sorted, 99), perSecond: Double(iterations) / totalSeconds,
            arenaBytes: interpreter.arenaBytes, scratchBytes: interpreter.scratchBytes, peakRSS: Self.peakResidentBytes(),
            allocationsPerInvoke: Double(allocations) / Double(iterations), identicalToReference: identical,
            operators: profile ? model.operators.enumerated().map { (index: $0.offset, kind: "\($0.element.kind)",
                                                                     milliseconds: operatorMilliseconds[$0.offset],
                                                                     macs: OperatorCost.multiplyAccumulates(of: $0.element, tensors: model.tensors)) } : nil)
        print(json ? report.json.serialized() : report.text, terminator: json ? "\n" : "")
    }

    /// Runs the reference kernels on the interpreter's current inputs; true when every output byte matches.
    static func matchesReference(_ interpreter: Interpreter, model: Model, path: String) throws(CommandFailure) -> Bool {
        let reference = try ModelLoading.interpreter(for: model, path: path, threads: 1, kernels: .reference)
        for position in model.inputs.indices {
            let source = interpreter.input(position), destination = reference.input(position)
            destination.data.copyMemory(from: source.data, byteCount: source.byteCount)
        }
        interpreter.invoke()
        reference.invoke()
        for position in model.outputs.indices {
            let fast = interpreter.output(position), slow = reference.output(position)
            let fastBytes = UnsafeRawBufferPointer(start: fast.data, count: fast.byteCount)
            let slowBytes = UnsafeRawBufferPointer(start: slow.data, count: slow.byteCount)
            if !fastBytes.elementsEqual(slowBytes) { return false }
        }
        return true
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ percent: Int) -> Double {
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// VmHWM from /proc/self/status, else getrusage's maximum RSS.
    static func peakResidentBytes() -> Int {
        if let status = try? FileBytes.read("/proc/self/status", limit: 1 << 20) {
            let text = String(decoding: status, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let digits = line.filter(\.isNumber)
                if let kilobytes = Int(digits) { return kilobytes * 1024 }
            }
        }
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Report {
        let model: String, kernels: String
        let threads: Int, iterations: Int
        let minimum: Double, median: Double, p90: Double, p99: Double, perSecond: Double
        let arenaBytes: Int, scratchBytes: Int, peakRSS: Int
        let allocationsPerInvoke: Double
        let identicalToReference: Bool?
        let operators: [(index: Int, kind: String, milliseconds: Double, macs: Int)]?

        var json: JSON {
            var members: [(String, JSON)] = [
                ("model", .string(model)), ("kernels", .string(kernels)), ("threads", .int(threads)),
                ("iterations", .int(iterations)),
                ("min_ms", .double(minimum)), ("median_ms", .double(median)), ("p90_ms", .double(p90)),
                ("p99_ms", .double(p99)), ("inferences_per_second", .double(perSecond)),
                ("arena_bytes", .int(arenaBytes)), ("scratch_bytes", .int(scratchBytes)),
                ("peak_rss_bytes", .int(peakRSS)), ("allocations_per_invoke", .double(allocationsPerInvoke)),
            ]
            if let identicalToReference { members.append(("identical_to_reference", .bool(identicalToReference))) }
            if let operators {
                members.append(("operators", .array(operators.map {
                    .object([("index", .int($0.index)), ("kind", .string($0.kind)), ("ms", .double($0.milliseconds)),
                             ("macs", .int($0.macs))])
                })))
            }
            return .object(members)
        }

        var text: String {
            var out = "model             \(model)\n"
            out += "kernels           \(kernels), \(threads) thread\(threads == 1 ? "" : "s")\n"
            out += "latency ms        min \(Self.fixed(minimum))  median \(Self.fixed(median))  p90 \(Self.fixed(p90))  p99 \(Self.fixed(p99))  (\(iterations) invokes)\n"
            out += "inferences/s      \(Self.fixed(perSecond, digits: 1))\n"
            out += "arena bytes       \(arenaBytes)  (scratch \(scratchBytes))\n"
            out += "peak RSS bytes    \(peakRSS)\n"
            out += "allocations       \(Self.fixed(allocationsPerInvoke, digits: 2)) per invoke (malloc interposer, all threads)\n"
            if let identicalToReference { out += "reference check   outputs \(identicalToReference ? "identical" : "DIFFER")\n" }
            if let operators {
                let total = operators.reduce(0) { $0 + $1.milliseconds }
                out += "per operator (mean ms, share, GOPS = 2·MACs/time):\n"
                for op in operators {
                    let gops = op.milliseconds > 0 ? 2 * Double(op.macs) / (op.milliseconds * 1e6) : 0
                    out += "  \(Self.pad(String(op.index), 4)) \(Self.pad(op.kind, 18)) \(Self.pad(Self.fixed(op.milliseconds, digits: 4), 9))"
                        + " \(Self.pad(Self.fixed(total > 0 ? 100 * op.milliseconds / total : 0, digits: 1) + "%", 7))"
                        + (op.macs > 0 ? "  \(Self.fixed(gops, digits: 1)) GOPS" : "") + "\n"
                }
            }
            return out
        }

        static func fixed(_ value: Double, digits: Int = 3) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let rounded = (value * scale).rounded() / scale
            var text = String(rounded)
            if let dot = text.firstIndex(of: ".") {
                let decimals = text.distance(from: dot, to: text.endIndex) - 1
                if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
            }
            return text
        }

        static func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
    }
}
