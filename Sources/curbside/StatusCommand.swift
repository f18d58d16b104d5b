import ArgumentParser
import CurbAgent
import CurbToolSupport

#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// `curbside status --state-dir STATE [--json]`: whether the agent runs, its model, and its last health record.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the agent's state and its last health record.",
        discussion: "Exit codes: 0 the agent is running, 1 it is not (stopped or never started), 2 no state here.")

    @Option(name: .customLong("state-dir"), help: "The agent's state directory.")
    var stateDirectory: String

    @Flag(help: "Print one JSON object: state, running, last_health.")
    var json = false

    func run() throws {
        guard FileSystem.isDirectory(stateDirectory) else { throw CommandFailure(file: stateDirectory, "no such state directory") }
        let state = FileSystem.readText(stateDirectory + "/agent.json").flatMap { JSONParser.parse(Array($0.utf8)) }
        let running = Self.agentHoldsLock(stateDirectory)
        var lastHealth: JSON?
        try? RecordStore.readAll(directory: stateDirectory + "/records") { record in
            if record["kind"]?.stringValue == "health" { lastHealth = record }
        }
        if json {
            print(JSON.object([("running", .bool(running)), ("state", state ?? .null), ("last_health", lastHealth ?? .null)]).serialized())
        } else {
            let recorded = state?["state"]?.stringValue ?? "never started"
            // A state file saying "running" while no agent holds the lock: it was killed.
            let shown = running ? "running" : (recorded == "running" ? "not running (killed or crashed)" : recorded)
            print("agent: \(shown)" + (running ? ", pid \(state?["pid"]?.intValue ?? 0)" : ""))
            if let state {
                print("run: \(state["run"]?.stringValue ?? "-"), device \(state["device"]?.stringValue ?? "-"), started \(state["started_at"]?.stringValue ?? "-")")
                print("model: \(state["model"]?.stringValue ?? "-") \(state["model_version"]?.stringValue ?? "") (\(state["model_hash"]?.stringValue ?? "-")) at \(state["model_path"]?.stringValue ?? "-")")
            }
            if let lastHealth {
                print("last health: " + ReportsCommand.line(lastHealth))
                let temperature = lastHealth["cpu_temp_c"]?.doubleValue.map { "\($0) °C" } ?? "n/a"
                print("  rss \(lastHealth["rss_kb"]?.intValue ?? 0) KiB, cpu temp \(temperature), clock synced \(lastHealth["clock_synced"]?.boolValue ?? false)")
            } else {
                print("last health: none stored yet")
            }
        }
        if !running { throw CommandFailure("the agent is not running", exitCode: 1) }
    }

    /// Whether an agent holds `STATE/agent.lock` (the lock goes with the process, even after kill -9).
    static func agentHoldsLock(_ directory: String) -> Bool {
        let descriptor = open(directory + "/agent.lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_SH | LOCK_NB) != 0
    }
}
