import CurbTestKit
import Foundation
import Testing

/// `curbside watch --upload` with its file-size limit (RLIMIT_FSIZE, set by `prlimit` on the child) far
/// below what the frames need: record writes past it fail with EFBIG, as on a full card. The agent must not
/// die (SIGXFSZ ignored), must keep the frames whose records it could not store, and after a restart with
/// room again every frame's record reaches the collector exactly once.
@Suite(.serialized) struct UploadDiskFullTests {
    /// Starts `arguments` with every signal's disposition at its default (the test runner may ignore
    /// SIGXFSZ, and an ignored signal stays ignored through exec, which would hide an agent that dies of it).
    static func spawnWithDefaultSignals(_ arguments: [String], log: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard result == 0 else { throw CollectorError(message: "posix_spawn \(arguments[0]): \(result)") }
        return pid
    }

    @Test func aFileSizeLimitStopsStoringButLosesAndDuplicatesNothing() throws {
        let temporary = try TemporaryDirectory()
        let frames = temporary.path("frames"), state = temporary.path("state")
        try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: true)
        var names: [String] = []
        for index in 0..<40 {
            let fixture = UploadFaultTests.good[index % UploadFaultTests.good.count]
            let name = String(format: "frame-%04d.%@", index, (fixture as NSString).pathExtension)
            try FileManager.default.copyItem(atPath: UploadFaultTests.fixtures + "/" + fixture, toPath: frames + "/" + name)
            names.append(name)
        }
        let collector = try CollectorProcess(in: temporary)
        let config = temporary.path("agent.conf")
        try """
            upload_batch_records = 5
            upload_max_backoff_s = 1
            log_frames = false
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let watchArguments = ["watch", "--model", UploadFaultTests.model, "--dir", frames, "--state-dir", state, "--after", "move",
                              "--settle-ms", "100", "--config", config, "--upload", "http://127.0.0.1:\(collector.port)", "--token", "t0ken"]
        // A limit of 8000 bytes per file: a few records fit in the segment, then every append fails.
        let limit = 8000
        let firstLog = temporary.path("agent-limited.log")
        let limited = try Self.spawnWithDefaultSignals(["/usr/bin/prlimit", "--fsize=\(limit)", "--", UploadFaultTests.binary] + watchArguments,
                                                       log: firstLog)
        func remaining() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: frames)) ?? []).filter { $0.hasPrefix("frame-") }.count
        }
        // Wait until the frames folder stops shrinking (the store refuses) for 6 s: three retry pauses.
        var last = remaining(), stableSince = Date()
        let end = Date().addingTimeInterval(60)
        while Date() < end, Date().timeIntervalSince(stableSince) < 6 {
            usleep(200_000)
            let now = remaining()
            if now != last { last = now; stableSince = Date() }
        }
        var status: Int32 = 0
        let running = waitpid(limited, &status, WNOHANG) == 0
        #expect(running, "the agent died at the file-size limit (wait status \(status); SIGXFSZ is 25)")
        #expect(last > 0 && last < names.count, "the limit let \(names.count - last) of \(names.count) frames be stored")
        // No segment grew past the limit, and each holds only whole records (a failed append is cut off).
        let segments = try FileManager.default.contentsOfDirectory(atPath: state + "/records").filter { $0.hasPrefix("seg-") }
        for segment in segments {
            let data = try Data(contentsOf: URL(fileURLWithPath: state + "/records/" + segment))
            #expect(data.count <= limit)
            #expect(data.isEmpty || data.last == 10, "\(segment) ends inside a record")
        }
        if running {
            kill(limited, SIGTERM)
            waitpid(limited, &status, 0)
        }
        #expect(status & 0x7f == 0, "the agent was killed by signal \(status & 0x7f)")

        // Room again: the same state directory, no limit.
        let log = temporary.path("agent.log")
        let agent = try UploadFaultTests.startAgent(Array(watchArguments.dropFirst()), log: log)
        let done = UploadFaultTests.waitFor(seconds: 120) {
            ((try? collector.records()) ?? []).filter { $0["kind"] as? String == "frame" }.count >= names.count
        }
        #expect(done, "not every frame's record arrived: \(String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self).suffix(2000))")
        // A little longer, so a duplicate upload would have arrived too.
        usleep(1_500_000)
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        let stored = try collector.records()
        let frameRecords = stored.filter { $0["kind"] as? String == "frame" }
        #expect(frameRecords.map { $0["file"] as? String ?? "?" }.sorted() == names, "each frame exactly once")
        let keys = stored.map { "\($0["device"]!)/\($0["run"]!)/\($0["seq"]!)" }
        #expect(Set(keys).count == keys.count)
        #expect(remaining() == 0)
        let healths = stored.filter { $0["kind"] as? String == "health" }
        print("disk-full test: frames \(names.count), stored while limited \(names.count - last), records \(stored.count), health \(healths.count)")
    }
}
