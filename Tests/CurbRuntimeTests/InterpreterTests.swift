import Testing
import CurbModel
import CurbRuntime
import CurbTestKit

@Suite struct InterpreterTests {
    /// DESIGN.md's rule: between load and unload, `invoke` makes no heap allocation — the first call included.
    @Test func thousandInvokesAllocateNothing() throws {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN())
        let input = ExampleModels.tinyCNNInput(count: 1)
        for (index, value) in input.enumerated() { interpreter.input().int8[index] = value }
        let allocations = allocationCount {
            for _ in 0..<1_000 { interpreter.invoke() }
        }
        #expect(allocations == 0)
    }

    /// The counter itself works: a test that cannot fail proves nothing.
    @Test func allocationCounterSeesAnAllocation() {
        #expect(allocationCount { _ = [Int](repeating: 1, count: 128) } > 0)
    }

    @Test func softmaxOutputIsADistribution() throws {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN())
        let input = ExampleModels.tinyCNNInput(count: 1)
        for (index, value) in input.enumerated() { interpreter.input().int8[index] = value }
        interpreter.invoke()
        let output = interpreter.output()
        // Softmax int8: q = 256·p − 128, so Σ(q + 128) ≈ 256 (each term rounds, 4 classes: within ±4).
        let total = (0..<output.elementCount).reduce(0) { $0 + Int(output.int8[$1]) + 128 }
        #expect(abs(total - 256) <= 4)
    }

    @Test func invokeIsDeterministicAndReusable() throws {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN())
        let inputs = ExampleModels.tinyCNNInput(count: 2)
        func run(_ image: Int) -> [Int8] {
            for index in 0..<768 { interpreter.input().int8[index] = inputs[image * 768 + index] }
            interpreter.invoke()
            return (0..<4).map { interpreter.output().int8[$0] }
        }
        let first = run(0), second = run(1)
        #expect(run(0) == first)
        #expect(run(1) == second)
    }

    @Test func callerSuppliedArenaGivesTheSameResult() throws {
        let model = try ExampleModels.tinyCNN()
        let bytes = Interpreter.requiredArenaBytes(for: model)
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
        defer { arena.deallocate() }
        let own = try Interpreter(model: model)
        let supplied = try Interpreter(model: model, arena: arena)
        #expect(supplied.arenaBytes == bytes)
        #expect(supplied.arenaAddress == arena.baseAddress)
        let input = ExampleModels.tinyCNNInput(count: 1)
        for interpreter in [own, supplied] {
            for (index, value) in input.enumerated() { interpreter.input().int8[index] = value }
            interpreter.invoke()
        }
        #expect((0..<4).map { own.output().int8[$0] } == (0..<4).map { supplied.output().int8[$0] })
    }

    @Test func tooSmallOrMisalignedArenaIsRefused() throws {
        let model = try ExampleModels.tinyCNN()
        let bytes = Interpreter.requiredArenaBytes(for: model)
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes + 64, alignment: 64)
        defer { arena.deallocate() }
        #expect(throws: InterpreterError.self) {
            _ = try Interpreter(model: model, arena: UnsafeMutableRawBufferPointer(rebasing: arena[0..<(bytes - 16)]))
        }
        #expect(throws: InterpreterError.self) {
            _ = try Interpreter(model: model, arena: UnsafeMutableRawBufferPointer(rebasing: arena[1..<(bytes + 1)]))
        }
    }

    @Test func arenaAboveTheLimitIsRefusedBeforeAllocating() throws {
        let model = try ExampleModels.tinyCNN()
        do {
            _ = try Interpreter(model: model, maximumArenaBytes: model.plan.size - 1)
            Issue.record("a model above the arena limit was accepted")
        } catch {
            #expect(error.code == .arenaTooLarge)
        }
    }

    @Test func invalidModelIsRefusedWithTheValidationError() throws {
        var model = try ExampleModels.tinyCNN()
        model.plan.offsets[Int(model.outputs[0])] = 8  // misaligned
        do {
            _ = try Interpreter(model: model)
            Issue.record("an invalid plan was accepted")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.modelError?.code == .badAlignment)
        }
    }

    @Test func arenaIsThePlanPlusScratch() throws {
        let model = try ExampleModels.tinyCNN()
        let interpreter = try Interpreter(model: model)
        #expect(interpreter.arenaBytes == model.plan.size + interpreter.scratchBytes)
    }
}
