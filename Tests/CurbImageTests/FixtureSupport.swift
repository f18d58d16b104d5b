import CurbImage
import Foundation
import Synchronization

/// Test fixtures written by `Fixtures/make_fixtures.py` (Pillow 13); located from this file's path so
/// no resource bundle is needed.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else {
            fatalError("missing fixture \(name): run Fixtures/make_fixtures.py")
        }
        return [UInt8](data)
    }

    /// Fixture bytes at a stable address for the whole test run (loaded once, never freed), so tests
    /// can pass them to the decoders without closures.
    static func raw(_ name: String) -> UnsafeRawBufferPointer { pinned(bytes(name), key: name) }

    /// `bytes` at a stable address for the whole test run.
    static func pinned(_ bytes: [UInt8], key: String) -> UnsafeRawBufferPointer {
        cache.withLock { cache in
            if let found = cache[key] { return found.buffer }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
            buffer.copyBytes(from: bytes)
            cache[key] = Pinned(buffer: UnsafeRawBufferPointer(buffer))
            return UnsafeRawBufferPointer(buffer)
        }
    }

    private struct Pinned: @unchecked Sendable { let buffer: UnsafeRawBufferPointer }
    private static let cache = Mutex<[String: Pinned]>([:])
}

/// The largest absolute difference between two equally long byte arrays (Int.max when lengths differ).
func maximumDifference(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Int {
    guard a.count == b.count else { return Int.max }
    return zip(a, b).reduce(0) { Swift.max($0, abs(Int($1.0) - Int($1.1))) }
}

/// Decodes fixture `name` with a fresh ImageDecoder.
func decodeFixture(_ name: String, target: DecodeTarget? = nil, limits: DecodeLimits = .standard) throws -> RGBImage {
    let image = RGBImage()
    try ImageDecoder(limits: limits).decode(Fixture.raw(name), target: target, into: image, file: name)
    return image
}
