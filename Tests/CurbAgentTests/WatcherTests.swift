import Foundation
import Testing
import CurbTestKit
@testable import CurbAgent

@Suite struct WatcherTests {
    /// Collects what the watcher hands over during `seconds`.
    static func collect(_ watcher: Watcher, seconds: Double) -> [String] {
        var ready: [String] = []
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let now = MonotonicClockForTests.now()
            watcher.readEvents(now: now, ready: { ready.append($0.name) }, change: { _ in })
            watcher.takeSettled(now: now) { ready.append($0.name) }
            usleep(10_000)
        }
        return ready
    }

    @Test func renamedFilesAreReadyAtOnceAndWrittenOnesAfterTheSettleTime() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.path("frames")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let watcher = try Watcher(directories: [directory], settleMilliseconds: 300)
        #expect(watcher.attachMissing() == [0])

        try Data("x".utf8).write(to: URL(fileURLWithPath: temporary.path("staged.jpg")))
        try FileManager.default.moveItem(atPath: temporary.path("staged.jpg"), toPath: directory + "/renamed.jpg")
        #expect(Self.collect(watcher, seconds: 0.1) == ["renamed.jpg"])

        // Written in three opens, 150 ms apart (less than the settle time): handed over once, after the last.
        let chunked = directory + "/chunked.jpg"
        writeInPlace(chunked, "a")
        var seen: [String] = []
        for chunk in ["b", "c"] {
            seen += Self.collect(watcher, seconds: 0.15)
            writeInPlace(chunked, chunk, append: true)
        }
        seen += Self.collect(watcher, seconds: 0.2)
        #expect(seen.isEmpty)
        seen += Self.collect(watcher, seconds: 0.3)
        #expect(seen == ["chunked.jpg"])

        // Ignored: dot-files, partial names, sub-directories.
        for name in [".hidden.jpg", "frame.part", "frame.tmp"] {
            writeInPlace(directory + "/" + name, "x")
        }
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
        // Deleted while settling: never handed over.
        writeInPlace(directory + "/deleted.jpg", "x")
        try FileManager.default.removeItem(atPath: directory + "/deleted.jpg")
        #expect(Self.collect(watcher, seconds: 0.5).isEmpty)
    }

    @Test func aDirectoryThatGoesAwayIsPickedUpAgain() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.path("frames")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let watcher = try Watcher(directories: [directory], settleMilliseconds: 0)
        _ = watcher.attachMissing()
        try FileManager.default.moveItem(atPath: directory, toPath: temporary.path("gone"))
        var lost: [Int] = []
        watcher.readEvents(now: 0, ready: { _ in }, change: { if case .lost(let index) = $0 { lost.append(index) } })
        #expect(lost == [0] && watcher.hasMissing)
        #expect(watcher.attachMissing().isEmpty)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/early.jpg", contents: Data("x".utf8))
        #expect(watcher.attachMissing() == [0])
        usleep(5_000)
        #expect(watcher.scan(0, now: MonotonicClockForTests.now()) == ["early.jpg"])
    }

    @Test func candidateNames() {
        #expect(Watcher.isCandidate("a.jpg") && Watcher.isCandidate("frame-001.png"))
        #expect(!Watcher.isCandidate(".a.jpg") && !Watcher.isCandidate("a.jpg.part") && !Watcher.isCandidate("a.tmp"))
    }
}

/// Writes a file in place with open/write/close (FileManager.createFile writes a temporary file and
/// renames it, which is a rename-in, not an in-place write).
func writeInPlace(_ path: String, _ text: String, append: Bool = false) {
    writeInPlace(path, Array(text.utf8), append: append)
}

func writeInPlace(_ path: String, _ bytes: [UInt8], append: Bool = false) {
    let descriptor = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
    precondition(descriptor >= 0, "cannot open \(path)")
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

import CurbPipeline
enum MonotonicClockForTests {
    static func now() -> UInt64 { MonotonicClock.nanoseconds() }
}
