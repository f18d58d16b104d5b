import Foundation
import Testing
import CurbModel
import CurbNumpy
import CurbRuntime
@testable import CurbTFLite

/// The golden-vector conformance suite: every model of `Tests/Golden/manifest.json` is read, imported,
/// written to `.curb` bytes and read back (so the file is what is tested), run by the interpreter on each
/// committed input, and every output must equal LiteRT BUILTIN_REF's bit for bit.
///
/// `mobilenetv2-100-224-logits` has no committed model: it is the peer file without its final SOFTMAX, with
/// every tensor index unchanged, so the suite runs the full peer model and compares tensor 170 (the logits).
@Suite struct GoldenConformanceTests {
    static let golden = TestFiles.testsDirectory.deletingLastPathComponent().appendingPathComponent("Golden")

    struct Entry: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        var sha256: String?
        /// For a derived model: the peer file to run and the TFLite tensor to compare instead of the outputs.
        var derivedSource: String?
        var derivedSourceSHA256: String?
        var comparedTensor: Int?
        var inputFiles: [String]
        var outputFiles: [[String]]
        var description: String { name }

        var isPeer: Bool { file.hasPrefix("peer:") || derivedSource != nil }
    }

    static let entries: [Entry] = {
        guard let data = try? Data(contentsOf: golden.appendingPathComponent("manifest.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let models = root["models"] as? [[String: Any]] else { return [] }
        return models.compactMap { model in
            guard let name = model["name"] as? String, let file = model["file"] as? String,
                  let inputs = model["input_files"] as? [String], let outputs = model["output_files"] as? [[String]] else { return nil }
            let derived = model["derived_from"] as? [String: Any]
            return Entry(name: name, file: file, sha256: model["sha256"] as? String,
                         derivedSource: derived?["source"] as? String, derivedSourceSHA256: derived?["source_sha256"] as? String,
                         comparedTensor: derived?["new_output_tensor"] as? Int, inputFiles: inputs, outputFiles: outputs)
        }
    }()

    static let smallModels = entries.filter { !$0.isPeer }
    static let peerModels = entries.filter(\.isPeer)

    struct Report { var elements = 0, mismatches = 0, vectors = 0, firstMismatch: String? }

    /// The bytes of the `.tflite` the entry runs, and its expected SHA-256.
    static func modelBytes(_ entry: Entry) throws -> (bytes: [UInt8], sha256: String?, fileName: String) {
        let reference = entry.derivedSource ?? entry.file
        if reference.hasPrefix("peer:") {
            let name = String(reference.dropFirst("peer:".count))
            return (try TestFiles.peerModel(name), entry.derivedSource == nil ? entry.sha256 : entry.derivedSourceSHA256, name)
        }
        let url = golden.appendingPathComponent(reference)
        return (Array(try Data(contentsOf: url)), entry.sha256, url.lastPathComponent)
    }

    static func npy(_ path: String) throws -> NumpyArray {
        try NumpyArray(decoding: Array(Data(contentsOf: golden.appendingPathComponent(path))))
    }

    /// Imports through a written and re-read `.curb` file and runs every vector.
    static func run(_ entry: Entry) throws -> Report {
        let (bytes, expectedSHA, fileName) = try modelBytes(entry)
        let digest = bytes.withUnsafeBytes { SHA256.hexDigest($0) }
        if let expectedSHA { #expect(digest == expectedSHA, "\(entry.name): the .tflite is not the one the vectors were made from") }
        let imported = try bytes.withUnsafeBytes { raw in
            try TFLiteImporter.importModel(try TFLiteReader.read(raw), fileBytes: raw,
                                           options: TFLiteImportOptions(name: entry.name, sourceFileName: fileName))
        }
        let file = try ModelWriter.write(imported.model)
        let model = try ModelReader.read(file)
        #expect(model.metadata.provenance("source_sha256") == digest)
        let interpreter = try Interpreter(model: model)

        var report = Report()
        for (vector, inputPath) in entry.inputFiles.enumerated() {
            let input = try npy(inputPath)
            let view = interpreter.input(0)
            try #require(input.bytes.count == view.byteCount && input.shape == view.shape.dimensions,
                         "\(entry.name): input \(input.shape) does not fit \(view.shape)")
            input.bytes.withUnsafeBytes { view.data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            interpreter.invoke()
            for (position, outputPath) in entry.outputFiles[vector].enumerated() {
                let expected = try npy(outputPath)
                let actual: TensorView
                if let compared = entry.comparedTensor {
                    let index = try #require(imported.tensorIndices[compared], "tensor \(compared) was not imported")
                    actual = try #require(interpreter.tensor(index))
                } else {
                    actual = interpreter.output(position)
                }
                try #require(actual.byteCount == expected.bytes.count && actual.shape.dimensions == expected.shape,
                             "\(entry.name) output \(position): shape \(actual.shape) vs expected \(expected.shape)")
                let width = actual.type.byteWidth
                let raw = UnsafeRawBufferPointer(start: actual.data, count: actual.byteCount)
                for element in 0..<(actual.byteCount / width) {
                    report.elements += 1
                    let range = (element * width)..<(element * width + width)
                    if !raw[range].elementsEqual(expected.bytes[range]) {
                        report.mismatches += 1
                        if report.firstMismatch == nil {
                            report.firstMismatch = "vector \(vector) output \(position) element \(element): \(Array(raw[range])) vs \(Array(expected.bytes[range]))"
                        }
                    }
                }
            }
            report.vectors += 1
        }
        print("conformance \(entry.name): \(report.vectors) vectors, \(report.elements) elements compared, \(report.mismatches) mismatches"
              + (report.firstMismatch.map { " (first: \($0))" } ?? ""))
        return report
    }

    @Test func manifestListsEveryCommittedModel() {
        #expect(Self.smallModels.count == 16)
        #expect(Self.peerModels.count == 3)
    }

    @Test(arguments: smallModels)
    func smallModelMatchesLiteRTReference(_ entry: Entry) throws {
        let report = try Self.run(entry)
        #expect(report.vectors == entry.inputFiles.count && report.elements > 0)
        #expect(report.mismatches == 0, "\(entry.name): \(report.mismatches) of \(report.elements) differ; first \(report.firstMismatch ?? "")")
    }

    @Test(.enabled(if: TestFiles.peerModelsPresent, "peer models absent (../shared/peers/models): peer conformance skipped"),
          arguments: peerModels)
    func peerModelMatchesLiteRTReference(_ entry: Entry) throws {
        let report = try Self.run(entry)
        #expect(report.vectors == entry.inputFiles.count && report.elements > 0)
        #expect(report.mismatches == 0, "\(entry.name): \(report.mismatches) of \(report.elements) differ; first \(report.firstMismatch ?? "")")
    }
}
