import Testing
import CurbModel
import CurbRuntime
import CurbTestKit

/// A model that passes validation must also load and run: mutated files (checksum re-sealed so every check is
/// reached) are either refused by the reader or accepted, prepared and invoked without a trap.
@Suite struct InterpreterRobustnessTests {
    @Test func acceptedMutantsLoadAndRun() throws {
        let original = try ModelWriter.write(ExampleModels.tinyCNN())
        var random = SeededGenerator(seed: 99)
        var accepted = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            ModelWriter.seal(&bytes)
            guard let model = try? ModelReader.read(bytes) else { continue }
            accepted += 1
            let interpreter = try Interpreter(model: model)
            interpreter.invoke()
        }
        // Most single-byte changes land in weights, names or scales and still make a valid model.
        #expect(accepted > 100)
    }
}
