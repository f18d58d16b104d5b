import Foundation
import CurbTestKit

/// A running `curbside-collector` on 127.0.0.1 with an ephemeral port.
final class CollectorProcess {
    let process = Process()
    let port: Int
    let token: String?
    private let output: String

    init(in directory: TemporaryDirectory, token: String? = "t0ken", extra: [String] = []) throws {
        self.token = token
        output = directory.path("collector-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("curbside-collector")
        process.arguments = ["--listen", "127.0.0.1:0", "--db", directory.path("collector.sqlite")]
            + (token.map { ["--token", $0] } ?? []) + extra
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: output)
        try process.run()
        var found: Int?
        let end = Date().addingTimeInterval(20)
        while found == nil, Date() < end, process.isRunning {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            usleep(20_000)
        }
        guard let found else { throw CollectorError(message: "collector did not start: " + ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")) }
        port = found
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// GET `path` with the token via the curl command line (independent of the code under test).
    func get(_ path: String) throws -> (status: Int, body: Data) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = ["-s", "-w", "\n%{http_code}", baseURL + path]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        curl.arguments = arguments
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let split = text.range(of: "\n", options: .backwards)!
        return (Int(text[split.upperBound...]) ?? 0, Data(text[..<split.lowerBound].utf8))
    }

    func records(device: String? = nil) throws -> [[String: Any]] {
        let response = try get("/v1/records?limit=100000" + (device.map { "&device=\($0)" } ?? ""))
        return (try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]]) ?? []
    }
}

struct CollectorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
