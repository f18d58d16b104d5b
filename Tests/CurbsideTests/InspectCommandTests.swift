import Foundation
import Testing
import CurbModel
import CurbRuntime
import CurbTestKit

@Suite struct InspectCommandTests {
    static let curbside = CommandRunner("curbside")
    static let example = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path
    static let snapshots = CommandRunner.packageRoot.appendingPathComponent("Tests/CurbsideTests/Snapshots")

    // The snapshots size the scratch for the portable kernels: the same on every machine (automatic names this
    // CPU's instruction set, whose packed layouts differ).
    @Test func textOutputMatchesTheSnapshot() throws {
        let result = try Self.curbside.run(["inspect", "--kernels", "portable", Self.example])
        #expect(result.status == 0)
        let expected = try Snapshot.expected(at: Self.snapshots.appendingPathComponent("inspect-example.txt"),
                                             actual: result.standardOutput)
        #expect(result.standardOutput == expected)
    }

    @Test func jsonHasTheContractKeysAndMatchesTheSnapshot() throws {
        let result = try Self.curbside.run(["inspect", "--json", "--kernels", "portable", Self.example])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        for key in ["name", "inputs", "outputs", "labels", "ops", "macs", "parameter_bytes", "arena_bytes", "file_bytes",
                    "kernels"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        let model = try ModelReader.read(path: Self.example)
        // Activations plus the fast kernels' scratch on one thread (packed weights, per-channel values, buffers).
        #expect(object["arena_bytes"] as? Int == model.plan.size + Interpreter.scratchBytes(for: model, threads: 1,
                                                                                          kernels: .portable))
        #expect(object["kernels"] as? String == "portable")
        #expect(object["file_bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: Self.example)[.size] as? Int))
        #expect(object["macs"] as? Int == 13_824 + 4_608 + 8_192 + 64)  // 8·8·8·27 + 8·8·8·9 + 8·8·16·8 + 4·16
        let expected = try Snapshot.expected(at: Self.snapshots.appendingPathComponent("inspect-example.json"),
                                             actual: result.standardOutput)
        #expect(result.standardOutput == expected)
    }

    /// The contract: these keys for every model shipped in ModelFiles/, and arena_bytes = the plan's
    /// high-water mark plus the runtime's scratch region.
    @Test func everyShippedModelHasTheContractKeys() throws {
        let folder = CommandRunner.packageRoot.appendingPathComponent("ModelFiles")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".curb") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let result = try Self.curbside.run(["inspect", "--json", path])
            #expect(result.status == 0, "\(name): \(result.standardError)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            for key in ["name", "inputs", "outputs", "labels", "ops", "macs", "parameter_bytes", "arena_bytes", "file_bytes",
                        "kernels"] {
                #expect(object[key] != nil, "\(name): missing key \(key)")
            }
            let model = try ModelReader.read(path: path)
            #expect(object["arena_bytes"] as? Int == model.plan.size + Interpreter.scratchBytes(for: model, threads: 1), "\(name)")
        }
    }

    @Test func unknownKernelsAreAUsageError() throws {
        let result = try Self.curbside.run(["inspect", "--kernels", "avx9000", Self.example])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--kernels"))
    }

    @Test func missingFileIsOneLineWithExitCode2() throws {
        let result = try Self.curbside.run(["inspect", "/nonexistent/model.curb"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/model.curb"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test func usageErrorExitsWith2() throws {
        let result = try Self.curbside.run(["inspect"])
        #expect(result.status == 2)
        let unknown = try Self.curbside.run(["inspect", Self.example, "--no-such-flag"])
        #expect(unknown.status == 2)
    }

    @Test func flippedByteFailsTheChecksumUnlessIgnored() throws {
        let directory = try TemporaryDirectory()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.example)))
        // Flip a bit in the last constant bytes (a weight): only the CRC can notice.
        let model = try ModelReader.read(bytes)
        let lastConstant = try #require(model.tensors.lastIndex { $0.isConstant })
        guard case .constant(let offset) = model.tensors[lastConstant].storage else { return }
        let fileOffset = model.constants.range.lowerBound + offset
        bytes[fileOffset] ^= 0x01
        let path = directory.path("flipped.curb")
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let checked = try Self.curbside.run(["inspect", path])
        #expect(checked.status == 2)
        #expect(checked.standardError.contains("checksum") || checked.standardError.contains("CRC"))
        #expect(checked.standardError.split(separator: "\n").count == 1)
        let ignored = try Self.curbside.run(["inspect", "--ignore-checksum", path])
        #expect(ignored.status == 0)
    }

    /// Truncated and mutated files (CRC re-sealed, so every other check is reached) never crash `inspect` or
    /// `invoke`: exit 0 or 2, and a refusal is one line.
    @Test func corruptedFilesNeverCrashTheTool() throws {
        let directory = try TemporaryDirectory()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.example)))
        let input = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-input.npy").path
        var random = SeededGenerator(seed: 42)
        var accepted = 0
        for trial in 0..<60 {
            var bytes = original
            if trial < 10 {
                bytes = Array(bytes[0..<Int.random(in: 0..<bytes.count, using: &random)])
            } else {
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                ModelWriter.seal(&bytes)
            }
            let path = directory.path("mutant-\(trial).curb")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for arguments in [["inspect", path], ["invoke", path, "--input", input, "--output", directory.path("out.npy")]] {
                let result = try Self.curbside.run(arguments)
                #expect(result.status == 0 || result.status == 2, "\(arguments[0]) on trial \(trial): status \(result.status)")
                if result.status == 2 {
                    #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
                } else if arguments[0] == "invoke" {
                    accepted += 1
                }
            }
        }
        _ = accepted
    }
}
