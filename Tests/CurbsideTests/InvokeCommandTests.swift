import Foundation
import Testing
import CurbModel
import CurbNumpy
import CurbRuntime
import CurbTestKit

@Suite struct InvokeCommandTests {
    static let curbside = CommandRunner("curbside")
    static let example = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path

    /// What the library computes for one image of the example input.
    static func expectedOutput(image: Int) throws -> [Int8] {
        let interpreter = try Interpreter(model: ExampleModels.tinyCNN())
        let input = ExampleModels.tinyCNNInput(count: image + 1)
        for index in 0..<768 { interpreter.input().int8[index] = input[image * 768 + index] }
        interpreter.invoke()
        return (0..<4).map { interpreter.output().int8[$0] }
    }

    static func readArray(_ path: String) throws -> NumpyArray {
        try NumpyArray(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func batchOfTwoMatchesTheLibrary() throws {
        let directory = try TemporaryDirectory()
        let input = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-input.npy").path
        let result = try Self.curbside.run(["invoke", Self.example, "--input", input, "--output", directory.path("y.npy")])
        #expect(result.status == 0, "\(result.standardError)")
        let output = try Self.readArray(directory.path("y.npy"))
        #expect(output.type == .int8)
        #expect(output.shape == [2, 4])
        #expect(output.int8Values == (try Self.expectedOutput(image: 0)) + (try Self.expectedOutput(image: 1)))
    }

    @Test func everyThreadCountGivesTheSameOutput() throws {
        let directory = try TemporaryDirectory()
        let input = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-input.npy").path
        let expected = (try Self.expectedOutput(image: 0)) + (try Self.expectedOutput(image: 1))
        for threads in ["1", "2", "3"] {
            let output = directory.path("y\(threads).npy")
            let result = try Self.curbside.run(["invoke", Self.example, "--input", input, "--output", output,
                                                "--threads", threads])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try Self.readArray(output).int8Values == expected, "threads \(threads)")
        }
        let refused = try Self.curbside.run(["invoke", Self.example, "--input", input, "--output",
                                             directory.path("z.npy"), "--threads", "0"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--threads"))
    }

    @Test func float32InputIsQuantizedWithTheInputParameters() throws {
        let directory = try TemporaryDirectory()
        // The example input has scale 1/128, zero point 0: the float value q/128 quantizes back to q exactly.
        let quantized = ExampleModels.tinyCNNInput(count: 1)
        let floats = NumpyArray(shape: [1, 16, 16, 3], float32: quantized.map { Float($0) / 128 })
        try Data(floats.encoded()).write(to: URL(fileURLWithPath: directory.path("x.npy")))
        let result = try Self.curbside.run(["invoke", Self.example, "--input", directory.path("x.npy"),
                                            "--output", directory.path("y.npy")])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Self.readArray(directory.path("y.npy")).int8Values == (try Self.expectedOutput(image: 0)))
    }

    @Test func wrongDtypeAndShapeAreOneLineErrors() throws {
        let directory = try TemporaryDirectory()
        let cases: [(String, NumpyArray, String)] = [
            ("int32.npy", NumpyArray(type: .int32, shape: [1, 16, 16, 3], bytes: [UInt8](repeating: 0, count: 3072)), "dtype"),
            ("shape.npy", NumpyArray(shape: [1, 16, 16, 4], int8: [Int8](repeating: 0, count: 1024)), "shape"),
            ("rank.npy", NumpyArray(shape: [768], int8: [Int8](repeating: 0, count: 768)), "shape"),
        ]
        for (name, array, word) in cases {
            try Data(array.encoded()).write(to: URL(fileURLWithPath: directory.path(name)))
            let result = try Self.curbside.run(["invoke", Self.example, "--input", directory.path(name),
                                                "--output", directory.path("y.npy")])
            #expect(result.status == 2, "\(name)")
            #expect(result.standardError.contains(word), "\(name): \(result.standardError)")
            #expect(result.standardError.contains(name))
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: directory.path("y.npy")))
        }
    }
}
