import Foundation
import Testing
import CurbTestKit

/// The files under `Firmware/`: the unit passes `systemd-analyze verify`, the install script installs.
@Suite struct FirmwareTests {
    static let firmware = CommandRunner.packageRoot.appendingPathComponent("Firmware").path
    static let curbside = CommandRunner.productsDirectory.appendingPathComponent("curbside").path

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func unitPassesSystemdAnalyzeVerify() throws {
        let analyzer = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let analyzer else {
            print("skipped: systemd-analyze is not installed (apt-get install systemd)")
            return
        }
        let temporary = try TemporaryDirectory()
        let unit = try String(contentsOfFile: Self.firmware + "/curbside.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/curbside watch"))
        for directive in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "DynamicUser=yes", "StateDirectory=curbside",
                          "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes", "MemoryMax=",
                          "IPAddressDeny=any"] {
            #expect(unit.contains("\n" + directive), "\(directive) missing")
        }
        // A copy whose ExecStart is a binary that exists here (verify checks that it does).
        let copy = unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/curbside", with: "ExecStart=" + Self.curbside)
        try copy.write(toFile: temporary.path("curbside.service"), atomically: true, encoding: .utf8)
        let (status, output) = try Self.run(analyzer, ["verify", temporary.path("curbside.service")])
        #expect(status == 0, "\(output)")
        // Warnings about the unit itself (not about the host's other units) count as failures too.
        let ours = output.split(separator: "\n").filter { $0.contains("curbside.service") }
        #expect(ours.isEmpty, "\(ours.joined(separator: "\n"))")
    }

    @Test func installScriptInstallsIntoADestinationTree() throws {
        let temporary = try TemporaryDirectory()
        let model = CommandRunner.packageRoot.appendingPathComponent("ModelFiles/example-tiny-cnn.curb").path
        let (status, output) = try Self.run("/bin/sh", [Self.firmware + "/install.sh", "--profile", "rpi4", "--model", model,
                                                       "--binary", Self.curbside, "--frames", "/srv/cam1"],
                                           environment: ["DESTDIR": temporary.url.path])
        #expect(status == 0, "\(output)")
        let root = temporary.url.path
        for path in ["/usr/local/bin/curbside", "/etc/systemd/system/curbside.service", "/etc/systemd/system/curbside.service.d/profile.conf",
                     "/etc/curbside/curbside.conf", "/var/lib/curbside/model/model.curb", "/usr/share/doc/curbside/README.md"] {
            #expect(FileManager.default.fileExists(atPath: root + path), "\(path) not installed")
        }
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/curbside.service", encoding: .utf8)
        #expect(unit.contains("ReadWritePaths=/srv/cam1"))
        // The installed config is valid for the agent, points at the frames, and carries the profile's settings.
        let config = try String(contentsOfFile: root + "/etc/curbside/curbside.conf", encoding: .utf8)
        #expect(config.contains("dirs = [\"/srv/cam1\"]") && config.contains("\nthreads = 3"))
        let check = try CommandRunner("curbside").run(["watch", "--config", root + "/etc/curbside/curbside.conf",
                                                       "--model", root + "/var/lib/curbside/model/model.curb",
                                                       "--dir", temporary.path("frames"), "--state-dir", temporary.path("state"), "--once"])
        #expect(check.status == 0, "\(check.standardError)")

        // A model that does not validate: nothing installed.
        let bad = temporary.path("bad.curb")
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: bad))
        let other = try TemporaryDirectory()
        let (refused, _) = try Self.run("/bin/sh", [Self.firmware + "/install.sh", "--profile", "rpi4", "--model", bad,
                                                  "--binary", Self.curbside], environment: ["DESTDIR": other.url.path])
        #expect(refused == 2)
        #expect(!FileManager.default.fileExists(atPath: other.url.path + "/usr/local/bin/curbside"))
    }

    @Test func everyBoardHasAProfile() {
        for board in ["rpi4", "rpi5", "generic-aarch64", "generic-x86_64"] {
            #expect(FileManager.default.fileExists(atPath: Self.firmware + "/profiles/\(board).conf"), "\(board)")
        }
    }
}
