import CAgentSystem
#if canImport(Glibc)
import Glibc
#endif

/// Facts about the board for records: its name, the clock, the CPU temperature, the process's memory.
public enum SystemInfo {
    /// The host name (the default device id).
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A random id for this agent start: 16 hex digits from `/dev/urandom` (falls back to time and pid,
    /// which still differ between starts).
    public static func randomRunIdentifier() -> String {
        var value: UInt64 = 0
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        var filled = false
        if descriptor >= 0 {
            filled = withUnsafeMutableBytes(of: &value) { read(descriptor, $0.baseAddress!, 8) } == 8
            close(descriptor)
        }
        if !filled { value = UInt64(wallClockNanoseconds()) ^ (UInt64(getpid()) << 40) }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Nanoseconds since 1970 by the wall clock (may jump when the clock is set).
    public static func wallClockNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Whether the wall clock is synchronized: systemd-timesyncd's flag file, else the kernel's NTP status.
    public static func clockSynchronized() -> Bool {
        if FileSystem.exists("/run/systemd/timesync/synchronized") { return true }
        return curb_clock_synchronized() == 1
    }

    /// `2026-11-23T10:15:02.123Z` (UTC, milliseconds) for nanoseconds since 1970.
    public static func iso8601(nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000)
        let milliseconds = Int((nanoseconds - Int64(seconds) * 1_000_000_000) / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
            + "\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }

    /// The CPU temperature in °C from `/sys/class/thermal` (a zone whose type names the CPU or SoC, else
    /// the first readable one), or nil where there is none.
    public static func cpuTemperature(thermalRoot: String = "/sys/class/thermal") -> Double? {
        guard let names = try? FileSystem.names(in: thermalRoot) else { return nil }
        var first: Double?
        for name in names.filter({ $0.hasPrefix("thermal_zone") }).sorted() {
            let zone = thermalRoot + "/" + name
            guard let text = FileSystem.readText(zone + "/temp", limit: 64),
                  let millidegrees = Int(text.filter { !$0.isWhitespace }) else { continue }
            let celsius = Double(millidegrees) / 1000
            let type = (FileSystem.readText(zone + "/type", limit: 64) ?? "").lowercased()
            if type.contains("cpu") || type.contains("soc") || type.contains("x86_pkg") { return celsius }
            if first == nil { first = celsius }
        }
        return first
    }

    /// The process's resident memory in KiB (`/proc/self/statm`), or nil.
    public static func residentKilobytes() -> Int? {
        guard let text = FileSystem.readText("/proc/self/statm", limit: 256) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }

    /// CPU seconds (user + system) this process has used.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
