import Foundation
import Testing
import CurbModel
import CurbTestKit

/// `curbside watch` end to end: the real binary on a temporary frame directory with the example model.
@Suite(.serialized) struct WatchCommandTests {
    static let binary = CommandRunner.productsDirectory.appendingPathComponent("curbside").path
    static let model = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/CurbImageTests/Fixtures").path
    static let good = ["baseline_420.jpg", "baseline_444.jpg", "progressive.jpg", "grey.jpg", "rgb.png", "palette.png"]
    static let bad = ["garbage.bin", "notes.txt", "truncated_header.jpg", "huge.png"]

    /// A running agent; stdout and stderr go to files (no pipe can fill and block it).
    final class Agent {
        let process = Process()
        let output: String
        let errors: String

        init(_ arguments: [String], in directory: TemporaryDirectory, environment: [String: String] = [:]) throws {
            output = directory.path("stdout-\(UUID().uuidString).txt")
            errors = directory.path("stderr-\(UUID().uuidString).txt")
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.executableURL = URL(fileURLWithPath: WatchCommandTests.binary)
            process.arguments = ["watch"] + arguments
            process.standardOutput = FileHandle(forWritingAtPath: output)
            process.standardError = FileHandle(forWritingAtPath: errors)
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            try process.run()
        }

        var standardOutput: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
        var standardError: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the exit; nil when it did not exit within `seconds` (then it is killed).
        func waitForExit(seconds: Double) -> Int32? {
            let end = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < end { usleep(10_000) }
            if process.isRunning {
                signal(SIGKILL)
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }
    }

    /// Polls `condition` for up to `seconds`.
    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// Every stored record (parsed with Foundation, independently of the agent's own reader).
    static func records(_ state: String, kind: String? = "frame") -> [[String: Any]] {
        let directory = state + "/records"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".ndjson") }.sorted()
        var result: [[String: Any]] = []
        for name in names {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                if kind == nil || object["kind"] as? String == kind { result.append(object) }
            }
        }
        return result
    }

    static func copy(_ fixture: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: fixtures + "/" + fixture, toPath: path)
    }

    static func isRunning(_ state: String) -> Bool {
        FileManager.default.fileExists(atPath: state + "/agent.json")
            && ((try? String(contentsOfFile: state + "/agent.json", encoding: .utf8)) ?? "").contains("\"running\"")
    }

    static func setUp() throws -> (TemporaryDirectory, frames: String, state: String) {
        let temporary = try TemporaryDirectory()
        let frames = temporary.path("frames"), state = temporary.path("state")
        try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: temporary.path("staging"), withIntermediateDirectories: true)
        return (temporary, frames, state)
    }

    // MARK: Live frames

    @Test func liveFramesInPlaceRenamedChunkedAndDeleted() throws {
        let (temporary, frames, state) = try Self.setUp()
        let agent = try Agent(["--model", Self.model, "--dir", frames, "--state-dir", state, "--after", "move",
                               "--settle-ms", "400", "--print"], in: temporary)
        #expect(Self.waitFor(seconds: 10) { Self.isRunning(state) })

        // Renamed in: ready at once.
        try Self.copy("rgb.png", to: temporary.path("staging/renamed.png"))
        try FileManager.default.moveItem(atPath: temporary.path("staging/renamed.png"), toPath: frames + "/renamed.png")
        // Written in place in one go.
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/baseline_444.jpg")))
        writeInPlace(frames + "/inplace.jpg", jpeg)
        // Written in three opens with pauses shorter than the settle time: read once, whole.
        let third = jpeg.count / 3
        writeInPlace(frames + "/chunked.jpg", Array(jpeg[0..<third]))
        usleep(150_000)
        writeInPlace(frames + "/chunked.jpg", Array(jpeg[third..<2 * third]), append: true)
        usleep(150_000)
        writeInPlace(frames + "/chunked.jpg", Array(jpeg[(2 * third)...]), append: true)
        // Deleted before it was processed; ignored names; a bad frame.
        writeInPlace(frames + "/deleted.jpg", jpeg)
        try FileManager.default.removeItem(atPath: frames + "/deleted.jpg")
        writeInPlace(frames + "/.hidden.jpg", jpeg)
        writeInPlace(frames + "/frame.part", jpeg)
        try Self.copy("notes.txt", to: temporary.path("staging/bad.jpg"))
        try FileManager.default.moveItem(atPath: temporary.path("staging/bad.jpg"), toPath: frames + "/bad.jpg")

        #expect(Self.waitFor(seconds: 10) { Self.records(state).count >= 3 && FileManager.default.fileExists(atPath: frames + "/failed/bad.jpg") })
        usleep(600_000)  // anything else (a second read of chunked.jpg) would show up now
        let start = Date()
        agent.signal(SIGTERM)
        #expect(agent.waitForExit(seconds: 5) == 0)
        #expect(Date().timeIntervalSince(start) < 1.0)

        let records = Self.records(state)
        #expect(records.map { $0["file"] as! String }.sorted() == ["chunked.jpg", "inplace.jpg", "renamed.png"])
        for record in records {
            #expect(["bike", "car", "minibus", "truck"].contains(record["label"] as? String ?? ""))
            for key in ["device", "run", "seq", "captured_at", "processed_at", "processed_mono_ns", "clock_synced", "top", "model",
                        "model_version", "model_hash", "decode_ms", "infer_ms", "score"] {
                #expect(record[key] != nil, "missing \(key)")
            }
        }
        // The chunked frame was read whole: the same classification as the whole file written at once.
        let byFile = Dictionary(uniqueKeysWithValues: records.map { ($0["file"] as! String, $0) })
        #expect(byFile["chunked.jpg"]?["score"] as? Double == byFile["inplace.jpg"]?["score"] as? Double)
        #expect(byFile["chunked.jpg"]?["size"] as? Int == jpeg.count)
        // Moved after processing; the bad one quarantined with its reason; ignored names untouched.
        let done = try FileManager.default.contentsOfDirectory(atPath: frames + "/done").sorted()
        #expect(done == ["chunked.jpg", "inplace.jpg", "renamed.png"])
        let reason = try String(contentsOfFile: frames + "/failed/bad.jpg.reason", encoding: .utf8)
        #expect(reason.contains("not a JPEG or PNG"))
        #expect(FileManager.default.fileExists(atPath: frames + "/.hidden.jpg") && FileManager.default.fileExists(atPath: frames + "/frame.part"))
        #expect(agent.standardError.contains("deleted.jpg") == false || agent.standardError.contains("gone before"))
        // --print: exactly the stored lines (frames, then the final counts and health).
        let printed = agent.standardOutput.split(separator: "\n")
        #expect(printed.count == Self.records(state, kind: nil).count)
        let final = Self.records(state, kind: "health").last
        #expect(final?["frames_done"] as? Int == 3 && final?["frames_failed"] as? Int == 1)
    }

    @Test func onceProcessesTheBacklogInNameOrderAndExits() throws {
        let (temporary, frames, state) = try Self.setUp()
        defer { withExtendedLifetime(temporary) {} }
        for (index, name) in (Self.good + Self.bad).enumerated() {
            try Self.copy(name, to: frames + "/\(100 + index)-\(name)")
        }
        // Old enough not to be taken for files still being written.
        usleep(300_000)
        let result = try CommandRunner("curbside").run(["watch", "--model", Self.model, "--dir", frames, "--state-dir", state,
                                                         "--once", "--settle-ms", "100"])
        #expect(result.status == 1, "\(result.standardError)")
        let records = Self.records(state)
        #expect(records.map { $0["file"] as! String } == Self.good.enumerated().map { "\(100 + $0.offset)-\($0.element)" })
        #expect(records.map { $0["seq"] as! Int } == Array(1...Self.good.count))
        let failed = try FileManager.default.contentsOfDirectory(atPath: frames + "/failed")
        #expect(failed.filter { !$0.hasSuffix(".reason") }.count == Self.bad.count)
        #expect(failed.filter { $0.hasSuffix(".reason") }.count == Self.bad.count)
        // Kept (the default) and not classified again by a second run.
        let again = try CommandRunner("curbside").run(["watch", "--model", Self.model, "--dir", frames, "--state-dir", state, "--once"])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(Self.records(state).count == Self.good.count)
        // reports and status read the store.
        let reports = try CommandRunner("curbside").run(["reports", "--state-dir", state, "--kind", "frame"])
        #expect(reports.status == 0 && reports.standardOutput.split(separator: "\n").count == Self.good.count)
        let status = try CommandRunner("curbside").run(["status", "--state-dir", state])
        #expect(status.status == 1 && status.standardOutput.contains("agent: stopped") && status.standardOutput.contains("last health"))
    }

    // MARK: Crashes

    /// kill -9 in the middle of a backlog, restart: every good frame has exactly one record, every bad
    /// frame is quarantined exactly once, nothing is left behind.
    @Test func killNineInTheMiddleOfABacklogLosesAndRepeatsNothing() throws {
        let (temporary, frames, state) = try Self.setUp()
        var goodNames: [String] = [], badNames: [String] = []
        for index in 0..<240 {
            let isBad = index % 6 == 5
            let fixture = isBad ? Self.bad[index % Self.bad.count] : Self.good[index % Self.good.count]
            let name = String(format: "frame-%04d.%@", index, isBad ? "jpg" : (fixture as NSString).pathExtension)
            try Self.copy(fixture, to: frames + "/" + name)
            if isBad { badNames.append(name) } else { goodNames.append(name) }
        }
        usleep(300_000)
        let arguments = ["--model", Self.model, "--dir", frames, "--state-dir", state, "--after", "move", "--settle-ms", "100",
                         "--max-rate", "150"]
        let first = try Agent(arguments, in: temporary)
        #expect(Self.waitFor(seconds: 20) { Self.records(state).count >= 60 })
        first.signal(SIGKILL)
        first.process.waitUntilExit()
        let beforeRestart = Self.records(state).count
        #expect(beforeRestart < goodNames.count, "the first run finished before the kill")

        let second = try Agent(arguments, in: temporary)
        #expect(Self.waitFor(seconds: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: frames)) ?? []).allSatisfy { ["done", "failed"].contains($0) }
        })
        second.signal(SIGTERM)
        #expect(second.waitForExit(seconds: 5) == 0)

        let records = Self.records(state)
        #expect(records.map { $0["file"] as! String }.sorted() == goodNames)
        let keys = records.map { "\($0["run"]!)/\($0["seq"]!)" }
        #expect(Set(keys).count == keys.count)
        #expect(Set(records.map { $0["run"] as! String }).count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: frames + "/done").sorted() == goodNames)
        let failed = try FileManager.default.contentsOfDirectory(atPath: frames + "/failed")
        #expect(failed.filter { !$0.hasSuffix(".reason") }.sorted() == badNames)
        #expect(failed.filter { $0.hasSuffix(".reason") }.count == badNames.count)
    }

    @Test func tornTailOfTheStoreIsRepairedAtStart() throws {
        let (temporary, frames, state) = try Self.setUp()
        defer { withExtendedLifetime(temporary) {} }
        try Self.copy("rgb.png", to: frames + "/a.png")
        usleep(250_000)
        let first = try CommandRunner("curbside").run(["watch", "--model", Self.model, "--dir", frames, "--state-dir", state, "--once"])
        #expect(first.status == 0)
        let segment = state + "/records/seg-00000001.ndjson"
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"frame\",\"device\":\"x\",\"ru".utf8))
        try handle.close()
        try Self.copy("grey.png", to: frames + "/b.png")
        usleep(250_000)
        let second = try CommandRunner("curbside").run(["watch", "--model", Self.model, "--dir", frames, "--state-dir", state, "--once"])
        #expect(second.status == 0)
        #expect(second.standardError.contains("torn tail"))
        #expect(Self.records(state).map { $0["file"] as! String } == ["a.png", "b.png"])
        let lines = try String(contentsOfFile: segment, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "" && lines.dropLast().allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("\"}") })
    }

    // MARK: Back-pressure

    @Test func floodWithATinyQueueSkipsTheOldestAndCountsThem() throws {
        let (temporary, frames, state) = try Self.setUp()
        let agent = try Agent(["--model", Self.model, "--dir", frames, "--state-dir", state, "--queue", "4", "--max-rate", "10",
                               "--after", "delete"], in: temporary)
        #expect(Self.waitFor(seconds: 10) { Self.isRunning(state) })
        for index in 0..<60 {
            try Self.copy(Self.good[index % Self.good.count], to: temporary.path("staging/f\(index)"))
            try FileManager.default.moveItem(atPath: temporary.path("staging/f\(index)"), toPath: String(format: "%@/f%03d.img", frames, index))
        }
        #expect(Self.waitFor(seconds: 10) { ((try? FileManager.default.contentsOfDirectory(atPath: frames)) ?? []) == ["skipped"] })
        agent.signal(SIGTERM)
        #expect(agent.waitForExit(seconds: 5) == 0)
        let done = Self.records(state).count
        let skipped = try FileManager.default.contentsOfDirectory(atPath: frames + "/skipped").count
        #expect(skipped > 0)
        #expect(done + skipped == 60)
        let health = try #require(Self.records(state, kind: "health").last)
        #expect(health["frames_skipped"] as? Int == skipped)
        #expect(health["frames_done"] as? Int == done)
        // The newest frames are the ones kept: the last one arrived was processed, not skipped.
        #expect(Self.records(state).contains { $0["file"] as? String == "f059.img" })
    }

    // MARK: Signals and config

    @Test func sighupWithABadModelKeepsTheOldOneAndAGoodOneSwaps() throws {
        let (temporary, frames, state) = try Self.setUp()
        let modelCopy = temporary.path("model.curb")
        try FileManager.default.copyItem(atPath: Self.model, toPath: modelCopy)
        let config = temporary.path("agent.conf")
        try "model = \"\(modelCopy)\"\ndirs = [\"\(frames)\"]\nstate_dir = \"\(state)\"\nsettle_ms = 50\n".write(toFile: config, atomically: true, encoding: .utf8)
        let agent = try Agent(["--config", config], in: temporary)
        #expect(Self.waitFor(seconds: 10) { Self.isRunning(state) })
        func drop(_ name: String) throws {
            try Self.copy("rgb.png", to: temporary.path("staging/" + name))
            try FileManager.default.moveItem(atPath: temporary.path("staging/" + name), toPath: frames + "/" + name)
        }
        try drop("one.png")
        #expect(Self.waitFor(seconds: 10) { Self.records(state).count == 1 })
        let oldHash = Self.records(state)[0]["model_hash"] as? String

        // A damaged model file: refused, the old model keeps classifying.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.model)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: modelCopy))
        agent.signal(SIGHUP)
        #expect(Self.waitFor(seconds: 5) { agent.standardError.contains("new model refused") })
        try drop("two.png")
        #expect(Self.waitFor(seconds: 10) { Self.records(state).count == 2 })
        #expect(Self.records(state)[1]["model_hash"] as? String == oldHash)

        // A valid new model (another version): swapped in.
        var model = try ExampleModels.tinyCNN()
        model.metadata.version = "2"
        try Data(try ModelWriter.write(model)).write(to: URL(fileURLWithPath: modelCopy))
        agent.signal(SIGHUP)
        #expect(Self.waitFor(seconds: 5) { agent.standardError.contains("now running model example-tiny-cnn 2") })
        try drop("three.png")
        #expect(Self.waitFor(seconds: 10) { Self.records(state).count == 3 })
        let third = Self.records(state)[2]
        #expect(third["model_version"] as? String == "2" && third["model_hash"] as? String != oldHash)

        // A config that became invalid: refused on reload, the agent keeps running.
        try "model = \"\(modelCopy)\"\nbogus = 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        agent.signal(SIGHUP)
        #expect(Self.waitFor(seconds: 5) { agent.standardError.contains("unknown key 'bogus'") })
        #expect(agent.process.isRunning)
        agent.signal(SIGTERM)
        #expect(agent.waitForExit(seconds: 5) == 0)
    }

    @Test func configWithAnUnknownKeyOrWrongTypeIsRefusedAtStart() throws {
        let (temporary, frames, state) = try Self.setUp()
        let config = temporary.path("agent.conf")
        try "dirs = [\"\(frames)\"]\nqueue_size = 10\n".write(toFile: config, atomically: true, encoding: .utf8)
        let unknown = try CommandRunner("curbside").run(["watch", "--config", config, "--model", Self.model, "--state-dir", state])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("unknown key 'queue_size'"))
        try "threads = \"four\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let wrongType = try CommandRunner("curbside").run(["watch", "--config", config, "--model", Self.model, "--dir", frames,
                                                            "--state-dir", state])
        #expect(wrongType.status == 2)
        #expect(wrongType.standardError.contains("'threads' must be an integer"))
        let badModel = try CommandRunner("curbside").run(["watch", "--model", config, "--dir", frames, "--state-dir", state])
        #expect(badModel.status == 2 && badModel.standardError.contains("invalid model"))
    }

    @Test func sdNotifyReadyAndWatchdog() throws {
        let (temporary, frames, state) = try Self.setUp()
        // A unix datagram socket standing in for systemd.
        let socketPath = temporary.path("notify.sock")
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let agent = try Agent(["--model", Self.model, "--dir", frames, "--state-dir", state], in: temporary,
                              environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "400000"])
        var messages: [String] = []
        let end = Date().addingTimeInterval(8)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end, messages.filter({ $0.contains("WATCHDOG=1") }).count < 3 {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
        }
        agent.signal(SIGTERM)
        #expect(agent.waitForExit(seconds: 5) == 0)
        #expect(messages.first?.contains("READY=1") == true)
        #expect(messages.filter { $0.contains("WATCHDOG=1") }.count >= 3)
    }
}
