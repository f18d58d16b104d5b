import CurbModel

/// Runs a validated model: load → prepare (at init) → ``invoke()``, any number of times.
///
/// All memory is fixed at init: the arena (the file's activation plan plus the runtime's scratch) is
/// either allocated once or supplied by the caller. `invoke` allocates nothing and cannot fail.
public final class Interpreter {
    /// The model being run (its constant bytes are read in place).
    public let model: Model
    /// Bytes of the arena in use: the activation plan plus ``scratchBytes``.
    public let arenaBytes: Int
    /// The runtime's own region after the planned activations (0 for the reference kernels): the fast
    /// kernels' packed weights, per-channel values and per-thread buffers.
    public let scratchBytes: Int
    /// Threads each fast kernel runs on (the caller included).
    public let threads: Int
    /// The kernels this interpreter runs.
    public let kernelSelection: KernelSelection
    private let arena: UnsafeMutableRawPointer
    private let ownsArena: Bool
    private let kernels: ContiguousArray<any OperatorKernel>
    private let tensorViews: [TensorView?]
    /// Kept alive for the kernels (they hold it too); its workers park when idle.
    private let pool: ThreadPool?

    /// The default thread count: the online processors.
    public static var defaultThreads: Int { ThreadPool.processorCount }

    /// The arena size a model needs, for callers that pass their own buffer.
    public static func requiredArenaBytes(for model: Model, threads: Int = defaultThreads,
                                          kernels: KernelSelection = .automatic) -> Int {
        model.plan.size + scratchBytes(for: model, threads: threads, kernels: kernels)
    }

    /// Scratch the runtime's kernels need beyond the planned activations: each fast kernel's pieces
    /// (64-byte multiples), plus 64 bytes to align the region whatever the arena's address.
    public static func scratchBytes(for model: Model, threads: Int = defaultThreads,
                                    kernels: KernelSelection = .automatic) -> Int {
        guard let instructionSet = kernels.instructionSet else { return 0 }
        let threads = min(max(threads, 1), 256)
        var total = 0
        for op in model.operators {
            guard let maker = op.options.coding as? any FastKernelMaking else { continue }
            let inputs = op.inputs.map { $0 < 0 || Int($0) >= model.tensors.count ? nil : model.tensors[Int($0)] }
            guard op.outputs.allSatisfy({ $0 >= 0 && Int($0) < model.tensors.count }) else { continue }
            let outputs = op.outputs.map { model.tensors[Int($0)] }
            total += maker.fastScratchBytes(inputs: inputs, outputs: outputs, threads: threads,
                                              instructionSet: instructionSet)
        }
        return total == 0 ? 0 : total + KernelContext.alignment
    }

    /// Validates `model` and prepares every operator.
    ///
    /// - Parameter arena: a caller-owned buffer of at least ``requiredArenaBytes(for:)`` bytes, aligned to
    ///   ``ArenaPlan/alignment``; the interpreter allocates its own when nil. A supplied buffer must
    ///   outlive the interpreter.
    /// - Parameter maximumArenaBytes: a model needing more is refused before anything is allocated (a board's
    ///   memory budget; the default is generous).
    /// - Parameter threads: threads for the fast kernels (clamped to 1...256; default: the online processors).
    ///   Results are identical for any count.
    /// - Parameter kernels: the fast kernels (default, best instruction set of this CPU), a forced
    ///   instruction set, or the reference kernels. Every choice gives the same bits.
    public init(model: Model, arena: UnsafeMutableRawBufferPointer? = nil,
                maximumArenaBytes: Int = 1 << 30, threads: Int = defaultThreads,
                kernels selection: KernelSelection = .automatic) throws(InterpreterError) {
        do {
            try ModelValidator.validate(model)
        } catch {
            throw InterpreterError(.invalidModel, error.description, modelError: error)
        }
        guard selection.isAvailable else {
            throw InterpreterError(.unsupportedKernels, "this CPU cannot run the \(selection.name) kernels")
        }
        let threads = selection == .reference ? 1 : min(max(threads, 1), 256)
        let scratch = Self.scratchBytes(for: model, threads: threads, kernels: selection)
        let required = model.plan.size + scratch
        guard required <= maximumArenaBytes else {
            throw InterpreterError(.arenaTooLarge, "the model needs \(required) bytes of arena, above the limit of \(maximumArenaBytes)")
        }
        self.model = model
        self.kernelSelection = selection
        self.scratchBytes = scratch
        self.arenaBytes = required
        if let arena {
            guard arena.count >= required else {
                throw InterpreterError(.arenaTooSmall, "the arena has \(arena.count) bytes, the model needs \(required)")
            }
            guard let base = arena.baseAddress, Int(bitPattern: base) % ArenaPlan.alignment == 0 else {
                throw InterpreterError(.arenaTooSmall, "the arena must be aligned to \(ArenaPlan.alignment) bytes")
            }
            self.arena = base
            self.ownsArena = false
        } else {
            self.arena = UnsafeMutableRawPointer.allocate(byteCount: max(required, 1), alignment: AlignedBytes.alignment)
            self.ownsArena = true
        }
        self.arena.initializeMemory(as: UInt8.self, repeating: 0, count: required)

        var views: [TensorView?] = []
        views.reserveCapacity(model.tensors.count)
        let constantBase = UnsafeMutableRawPointer(mutating: model.constants.bytes.baseAddress)
        for (index, tensor) in model.tensors.enumerated() {
            switch tensor.storage {
            case .constant(let offset):
                views.append(constantBase.map { TensorView(tensor, data: $0 + offset) })
            case .activation:
                let offset = model.plan.offsets[index]
                views.append(offset >= 0 ? TensorView(tensor, data: self.arena + offset) : nil)
            }
        }
        self.tensorViews = views

        var context: KernelContext?
        if let instructionSet = selection.instructionSet {
            let pool = ThreadPool(threads: threads)
            self.pool = pool
            self.threads = pool.threads
            // The scratch region starts at the first 64-byte boundary after the planned activations.
            let start = self.arena + model.plan.size
            let aligned = (Int(bitPattern: start) + KernelContext.alignment - 1) / KernelContext.alignment * KernelContext.alignment
            let usable = scratch == 0 ? 0 : scratch - (aligned - Int(bitPattern: start))
            context = KernelContext(pool: pool, instructionSet: instructionSet,
                                    scratch: UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: aligned),
                                                                          count: usable))
        } else {
            self.pool = nil
            self.threads = 1
        }

        var kernels = ContiguousArray<any OperatorKernel>()
        kernels.reserveCapacity(model.operators.count)
        for (index, op) in model.operators.enumerated() {
            guard let maker = op.options.coding as? any KernelMaking else {
                if ownsArena { self.arena.deallocate() }
                throw InterpreterError(.unsupportedOperator, "operator \(index) (\(op.kind)) has no kernel in this runtime")
            }
            let inputs = op.inputs.map { $0 < 0 ? nil : views[Int($0)] }
            let outputs = op.outputs.map { views[Int($0)]! }
            if let context, let fast = maker as? any FastKernelMaking {
                kernels.append(fast.makeFastKernel(kind: op.kind, inputs: inputs, outputs: outputs, context: context))
            } else {
                kernels.append(maker.makeKernel(kind: op.kind, inputs: inputs, outputs: outputs))
            }
        }
        self.kernels = kernels
    }

    deinit {
        if ownsArena { arena.deallocate() }
    }

    /// Runs every operator once, in order. Allocates nothing.
    public func invoke() {
        // Index loop: iterating the existential array with for-in allocates an iterator box in debug builds.
        var index = 0
        while index < kernels.count {
            kernels[index].run()
            index += 1
        }
    }

    /// The fast kernels' thread pool (nil with the reference kernels).
    public var threadPool: ThreadPool? { pool }

    /// The number of operators (for per-operator timing with ``invoke(operatorAt:)``).
    public var operatorCount: Int { kernels.count }

    /// Runs operator `index` alone. Running 0..<operatorCount in order is ``invoke()``; profilers time each.
    public func invoke(operatorAt index: Int) {
        kernels[index].run()
    }

    /// The view of graph input `position`.
    public func input(_ position: Int = 0) -> TensorView { tensorViews[Int(model.inputs[position])]! }

    /// The view of graph output `position`.
    public func output(_ position: Int = 0) -> TensorView { tensorViews[Int(model.outputs[position])]! }

    /// The view of any tensor by index (nil for a tensor that is never used). An intermediate activation's
    /// bytes are meaningful after `invoke` only if no later operator reused its place in the arena: true for
    /// the inputs of the last operator, which tests use to compare pre-softmax logits.
    public func tensor(_ index: Int) -> TensorView? { tensorViews[index] }

    /// The arena's first byte (for tools that draw or check the plan).
    public var arenaAddress: UnsafeMutableRawPointer { arena }
}

/// Why an interpreter could not be created.
public struct InterpreterError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public static let invalidModel = Code("invalid model")
        public static let arenaTooSmall = Code("arena too small")
        public static let arenaTooLarge = Code("arena too large")
        public static let unsupportedOperator = Code("unsupported operator")
        public static let unsupportedKernels = Code("unsupported kernels")
        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// The validation failure, for `invalidModel`.
    public var modelError: ModelError?

    public init(_ code: Code, _ message: String, modelError: ModelError? = nil) {
        self.code = code
        self.message = message
        self.modelError = modelError
    }

    public var description: String { message }
}
