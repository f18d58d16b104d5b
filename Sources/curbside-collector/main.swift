import CurbCollector
import Foundation
import Hummingbird

// curbside-collector --listen HOST:PORT --db FILE [--token TOKEN] [--max-body-bytes N]
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("curbside-collector: \(message)\n".utf8))
    exit(2)
}

var listen = "127.0.0.1:8080", database: String?, settings = CollectorService.Settings()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
@MainActor func value(_ option: String) -> String {
    guard let text = arguments.next() else { fail("\(option) needs a value") }
    return text
}
while let argument = arguments.next() {
    switch argument {
    case "--listen": listen = value(argument)
    case "--db": database = value(argument)
    case "--token": settings.token = value(argument)
    case "--max-body-bytes":
        guard let number = Int(value(argument)), number > 0 else { fail("--max-body-bytes needs a positive number") }
        settings.maximumBodyBytes = number
    case "--help", "-h":
        print("usage: curbside-collector --listen HOST:PORT --db FILE [--token TOKEN] [--max-body-bytes N]")
        exit(0)
    default: fail("unknown argument \(argument)")
    }
}
guard let database else { fail("--db FILE is required") }
guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else { fail("--listen wants HOST:PORT") }
let host = String(listen[..<colon])
let storage: SQLiteReportStorage
do { storage = try SQLiteReportStorage(path: database) } catch { fail("cannot open \(database): \(error)") }
let app = Application(
    router: CollectorService.router(storage: storage, settings: settings),
    configuration: .init(address: .hostname(host, port: port), serverName: "curbside-collector"),
    onServerRunning: { channel in
        // The bound port (useful with port 0): tests and scripts read this line.
        FileHandle.standardOutput.write(Data("listening on \(host):\(channel.localAddress?.port ?? port)\n".utf8))
    }
)
try await app.runService()
