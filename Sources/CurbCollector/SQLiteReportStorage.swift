import GRDB

/// ``ReportStorage`` in one SQLite file (GRDB, WAL mode so readers do not block the writer).
public final class SQLiteReportStorage: ReportStorage {
    private let database: DatabasePool

    public init(path: String) throws {
        database = try DatabasePool(path: path)
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL, run TEXT NOT NULL, seq INTEGER NOT NULL,
                    kind TEXT NOT NULL, label TEXT, received_at INTEGER NOT NULL, line TEXT NOT NULL,
                    UNIQUE (device, run, seq));
                CREATE INDEX IF NOT EXISTS records_device ON records (device, id);
                """)
        }
    }

    public func insert(_ records: [ReceivedRecord], receivedAt: Int) throws -> (inserted: Int, duplicates: Int) {
        try database.write { db in
            var inserted = 0
            let statement = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO records (device, run, seq, kind, label, received_at, line) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for record in records {
                try statement.execute(arguments: [record.device, record.run, record.sequence, record.kind, record.label,
                                                  receivedAt, record.line])
                inserted += db.changesCount
            }
            return (inserted, records.count - inserted)
        }
    }

    public func summary() throws -> ReportSummary {
        try database.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") ?? 0
            let devices = try Row.fetchAll(db, sql: "SELECT device, COUNT(*) AS n, MAX(received_at) AS last FROM records GROUP BY device ORDER BY device")
                .map { ReportSummary.Device(device: $0["device"], records: $0["n"], lastSeen: $0["last"]) }
            let labels = try Row.fetchAll(db, sql: """
                SELECT label, COUNT(*) AS n FROM records WHERE kind = 'frame' AND label IS NOT NULL GROUP BY label ORDER BY label
                """).map { (label: $0["label"] as String, count: $0["n"] as Int) }
            return ReportSummary(records: count, devices: devices, labels: labels)
        }
    }

    public func lines(device: String?, since: Int?, limit: Int) throws -> [String] {
        try database.read { db in
            var sql = "SELECT line FROM records WHERE 1"
            var arguments: StatementArguments = []
            if let device {
                sql += " AND device = ?"
                arguments += [device]
            }
            if let since {
                sql += " AND received_at >= ?"
                arguments += [since]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try String.fetchAll(db, sql: sql, arguments: arguments)
        }
    }
}
