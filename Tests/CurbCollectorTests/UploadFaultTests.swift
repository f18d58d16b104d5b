import CurbTestKit
import Foundation
import Testing

/// `curbside watch --upload` end to end on loopback: the real agent, the real collector, a fault proxy
/// between them, and `kill -9` of the agent mid-upload. Every frame's record must be stored exactly once.
@Suite(.serialized) struct UploadFaultTests {
    static let binary = CommandRunner.productsDirectory.appendingPathComponent("curbside").path
    static let model = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path
    static let fixtures = CommandRunner.packageRoot.appendingPathComponent("Tests/CurbImageTests/Fixtures").path
    static let good = ["baseline_420.jpg", "baseline_444.jpg", "progressive.jpg", "grey.jpg", "rgb.png", "palette.png"]

    static func startAgent(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["watch"] + arguments
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = FileHandle(forWritingAtPath: log)!
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test func everyFaultAndRepeatedKillNineLoseAndDuplicateNothing() throws {
        let temporary = try TemporaryDirectory()
        let frames = temporary.path("frames"), state = temporary.path("state")
        try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: true)
        var names: [String] = []
        for index in 0..<150 {
            let fixture = Self.good[index % Self.good.count]
            let name = String(format: "frame-%04d.%@", index, (fixture as NSString).pathExtension)
            try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: frames + "/" + name)
            names.append(name)
        }
        let collector = try CollectorProcess(in: temporary)
        let proxy = try FaultProxy(upstreamPort: collector.port, faults: [
            .status500, .forward, .status503RetryAfter, .status429, .forward, .hang, .reset, .forward, .dropResponse, .forward,
        ])
        let config = temporary.path("agent.conf")
        try """
            upload_batch_records = 7
            upload_max_backoff_s = 1
            upload_timeout_s = 2
            upload_connect_timeout_s = 2
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--model", Self.model, "--dir", frames, "--state-dir", state, "--after", "move", "--settle-ms", "100",
                         "--max-rate", "40", "--config", config, "--upload", "http://127.0.0.1:\(proxy.port)", "--token", "t0ken"]
        let log = temporary.path("agent.log")
        // kill -9 the agent several times while it classifies and uploads.
        var kills = 0
        for round in 1...5 {
            let agent = try Self.startAgent(arguments, log: log)
            let target = round * 20
            _ = Self.waitFor(seconds: 20) { ((try? collector.records().count) ?? 0) >= target }
            kill(agent.processIdentifier, SIGKILL)
            agent.waitUntilExit()
            kills += 1
        }
        // The last run goes on until every frame is done and every record acknowledged.
        let agent = try Self.startAgent(arguments, log: log)
        let done = Self.waitFor(seconds: 120) {
            let frameRecords = ((try? collector.records()) ?? []).filter { $0["kind"] as? String == "frame" }
            return frameRecords.count >= names.count
        }
        #expect(done, "not every frame's record arrived: \(String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self).suffix(2000))")
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()

        let stored = try collector.records()
        let frameRecords = stored.filter { $0["kind"] as? String == "frame" }
        let files = frameRecords.map { $0["file"] as? String ?? "?" }
        #expect(files.sorted() == names, "each frame exactly once")
        let keys = stored.map { "\($0["device"]!)/\($0["run"]!)/\($0["seq"]!)" }
        #expect(Set(keys).count == keys.count)
        #expect(Set(frameRecords.map { $0["run"] as! String }).count >= 2, "records of several runs (kills)")
        let injected = proxy.injected
        for fault in ["status500", "status503RetryAfter", "status429", "hang", "reset", "dropResponse"] {
            #expect(injected[fault, default: 0] > 0, "fault \(fault) was injected")
        }
        #expect(kills == 5)
        print("upload fault test: kills \(kills), frames \(names.count), stored records \(stored.count), frame records \(frameRecords.count), duplicates \(keys.count - Set(keys).count), faults \(injected)")
    }
}
