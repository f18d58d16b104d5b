import Foundation
import Testing
import CurbModel
import CurbTestKit
@testable import CurbTFLite

/// Damaged `.tflite` files through read + import: each is refused with a `TFLiteError` or
/// `TFLiteImportError`, or imports into a model that validates and survives a write/read round trip.
/// None traps, hangs or allocates without bound.
@Suite struct TFLiteImporterRobustnessTests {
    enum Outcome: Equatable { case unreadable, refused, imported }

    static func outcome(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        let source: TFLiteModel
        do { source = try TFLiteReader.read(bytes) } catch { return .unreadable }
        let imported: TFLiteImport
        do { imported = try TFLiteImporter.importModel(source, fileBytes: bytes) } catch { return .refused }
        // The promise: what imports is valid, and its file reads back.
        do {
            try ModelValidator.validate(imported.model)
            _ = try ModelReader.read(try ModelWriter.write(imported.model))
        } catch {
            Issue.record("an imported model does not validate: \(error)")
        }
        return .imported
    }

    static func counts(_ outcomes: [Outcome]) -> [Outcome: Int] {
        outcomes.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    @Test func everyTruncationOfTheTinyFixture() throws {
        let file = try TestFiles.fixture("tiny.int8.tflite")
        let outcomes = file.withUnsafeBytes { whole in
            (0..<whole.count).map { Self.outcome(UnsafeRawBufferPointer(rebasing: whole[0..<$0])) }
        }
        #expect(outcomes.count == file.count)
        #expect(file.withUnsafeBytes { Self.outcome($0) } == .imported)
    }

    @Test func everyTruncationOfTheDilatedSpaceToBatchModel() throws {
        let file = try TFLiteImporterTests.golden("dilated-space-to-batch")
        let outcomes = file.withUnsafeBytes { whole in
            (0..<whole.count).map { Self.outcome(UnsafeRawBufferPointer(rebasing: whole[0..<$0])) }
        }
        #expect(outcomes.count == file.count && outcomes.contains(.unreadable))
    }

    /// 1–4 bytes per mutation, each set to a random or a boundary value; three in four aimed at the
    /// flatbuffer's structure (outside constant data), the rest anywhere.
    static func mutations(_ file: [UInt8], seed: UInt64, count: Int) throws -> [Outcome: Int] {
        let model = try file.withUnsafeBytes { try TFLiteReader.read($0) }
        var structural = Array(repeating: true, count: file.count)
        for buffer in model.buffers { for index in buffer.data { structural[index] = false } }
        let targets = structural.indices.filter { structural[$0] }
        var generator = SeededGenerator(seed: seed)
        var mutated = file
        let boundaries: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE]
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(count)
        for _ in 0..<count {
            var changed: [Int] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<4, using: &generator) < 3
                    ? targets.randomElement(using: &generator)! : Int.random(in: 0..<file.count, using: &generator)
                changed.append(position)
                mutated[position] = Bool.random(using: &generator)
                    ? UInt8.random(in: 0...255, using: &generator) : boundaries.randomElement(using: &generator)!
            }
            outcomes.append(mutated.withUnsafeBytes { Self.outcome($0) })
            for position in changed { mutated[position] = file[position] }
        }
        return counts(outcomes)
    }

    /// 20,000 mutations in all: the tiny fixture (15 operators, float in and out) and the two golden models
    /// that exercise the folds.
    @Test func twentyThousandSeededMutations() throws {
        let tiny = try Self.mutations(try TestFiles.fixture("tiny.int8.tflite"), seed: 0x1A7E, count: 10_000)
        let flatten = try Self.mutations(try TFLiteImporterTests.golden("keras-flatten-dynamic"), seed: 0xF1A7, count: 5_000)
        let dilated = try Self.mutations(try TFLiteImporterTests.golden("dilated-space-to-batch"), seed: 0xD11A, count: 5_000)
        print("import mutations: tiny \(tiny), keras-flatten-dynamic \(flatten), dilated-space-to-batch \(dilated)")
        for result in [tiny, flatten, dilated] {
            // Every path exercised: unreadable, refused by the importer, imported.
            #expect((result[.unreadable] ?? 0) > 100 && (result[.refused] ?? 0) > 100 && (result[.imported] ?? 0) > 100, "\(result)")
        }
    }
}
