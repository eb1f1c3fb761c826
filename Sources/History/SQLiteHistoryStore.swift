import BenchModel
import Foundation
import GRDB

/// The history in a SQLite file, through GRDB: the default store (`Reports/history.sqlite`).
/// Migrations are GRDB's (`grdb_migrations` holds the applied versions); concurrent writers wait
/// up to 2 s for SQLite's lock.
public final class SQLiteHistoryStore: HistoryStore {
    /// Where the store is when no `--db` is given (ignored by git).
    public static let defaultPath = "Reports/history.sqlite"

    private let queue: DatabaseQueue
    public let path: String
    public var name: String { path }

    /// Opens (and with `create`, creates) the store at `path` and brings its schema up to date.
    ///
    /// - Parameter readOnly: open for reading only (`history show`, `history check`): the file
    ///   must exist and is never migrated or written.
    public init(path: String, readOnly: Bool = false) throws(HistoryStoreFailure) {
        self.path = path
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw HistoryStoreFailure(kind: .missing, description: "\(path): no history store (add runs with `jsa-bench history add`)")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(2)
        configuration.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                if try Self.migrator.hasBeenSuperseded(db) {
                    throw HistorySchema.newer(path, newest: try Self.migrator.appliedIdentifiers(db).sorted().last ?? "?")
                }
                // A database without this schema is a store only while it holds nothing but the
                // migrator's own table (a first migration that failed leaves it, empty): the
                // tables of another program are never written into.
                guard try Self.migrator.appliedIdentifiers(db).isEmpty else { return }
                let tables = try String.fetchAll(
                    db,
                    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        + "AND name != 'grdb_migrations' ORDER BY name")
                if !tables.isEmpty {
                    throw HistoryStoreFailure(
                        kind: .incompatible,
                        description: "\(path): not a jsa-bench history store (it holds the tables "
                            + "\(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : "")); use another --db")
                }
                if readOnly {
                    throw HistoryStoreFailure(
                        kind: .missing, description: "\(path): no history store (add runs with `jsa-bench history add`)")
                }
            }
            if !readOnly {
                try Self.migrator.migrate(queue)
            } else if try queue.read({ try !Self.migrator.hasCompletedMigrations($0) }) {
                throw HistorySchema.older(path)
            }
        } catch let failure as HistoryStoreFailure {
            throw failure
        } catch {
            throw Self.failure(error, path: path)
        }
    }

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE machine (
                        id TEXT PRIMARY KEY,
                        cpu_model TEXT NOT NULL, cpu_flags TEXT NOT NULL, logical_cpus INTEGER NOT NULL,
                        l1d_bytes INTEGER, l2_bytes INTEGER, l3_bytes INTEGER,
                        os TEXT NOT NULL, kernel TEXT NOT NULL, virtual_machine INTEGER NOT NULL,
                        build_configuration TEXT NOT NULL);
                    CREATE TABLE run (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_key TEXT NOT NULL UNIQUE,
                        machine_id TEXT NOT NULL REFERENCES machine(id),
                        started_at TEXT NOT NULL, git_commit TEXT, git_dirty INTEGER, preset TEXT,
                        results_schema TEXT NOT NULL, source TEXT);
                    CREATE INDEX run_by_machine_and_time ON run(machine_id, started_at);
                    CREATE TABLE case_estimate (
                        run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                        case_id TEXT NOT NULL,
                        n INTEGER NOT NULL,
                        estimator TEXT NOT NULL,
                        value_ns REAL NOT NULL, ci95_low_ns REAL NOT NULL, ci95_high_ns REAL NOT NULL,
                        memcpy_ratio REAL, memcpy_ratio_low REAL, memcpy_ratio_high REAL,
                        samples_ns TEXT NOT NULL,
                        PRIMARY KEY (run_id, case_id));
                    CREATE INDEX estimate_by_case ON case_estimate(case_id);
                    """)
        }
        // v2: a way of measuring other than warm on 4 KiB pages (`MachineFingerprint.measuring`);
        // the machines stored before it were measured so (NULL).
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE machine ADD COLUMN measuring TEXT")
        }
        return migrator
    }

    public func appliedSchemaVersions() throws(HistoryStoreFailure) -> [String] {
        try access { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    // MARK: - Adding

    public func add(
        _ sources: [String], reading read: @escaping @Sendable (String) throws -> ResultsDocument,
        added: (String, HistoryAddOutcome) throws -> Void
    ) throws {
        do {
            try queue.inDatabase { db in
                try db.inTransaction {
                    try HistoryRecord.forEach(sources, reading: read) { source, document in
                        try added(
                            source, try Self.insert(try HistoryRecord(document), source: HistoryRecord.storedSource(source), into: db))
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw Self.failure(error, path: path)
        }
    }

    /// Inserts one run and its case estimates (the caller holds the transaction).
    static func insert(_ record: HistoryRecord, source: String?, into db: Database) throws -> HistoryAddOutcome {
        if try Int.fetchOne(db, sql: "SELECT 1 FROM run WHERE run_key = ?", arguments: [record.key]) != nil {
            return .alreadyStored
        }
        let machine = record.machine
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO machine (id, cpu_model, cpu_flags, logical_cpus, l1d_bytes, l2_bytes, l3_bytes, os, kernel,
                    virtual_machine, build_configuration, measuring) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                machine.id, machine.cpuModel, machine.cpuFlags.joined(separator: " "), machine.logicalCPUs,
                machine.caches.l1dBytes, machine.caches.l2Bytes, machine.caches.l3Bytes, machine.os, machine.kernel,
                machine.virtualMachine, machine.buildConfiguration, machine.measuring
            ])
        try db.execute(
            sql: """
                INSERT INTO run (run_key, machine_id, started_at, git_commit, git_dirty, preset, results_schema, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.key, machine.id, record.startedAt, record.gitCommit, record.gitDirty, record.preset, record.resultsSchema, source
            ])
        let runID = db.lastInsertedRowID
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO case_estimate (run_id, case_id, n, estimator, value_ns, ci95_low_ns, ci95_high_ns,
                    memcpy_ratio, memcpy_ratio_low, memcpy_ratio_high, samples_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for c in record.cases {
            try insert.execute(arguments: [
                runID, c.caseID, c.n, c.estimator, c.value, c.low, c.high, c.memcpyRatio?.value, c.memcpyRatio?.ci95Low,
                c.memcpyRatio?.ci95High, c.samplesJSON
            ])
        }
        return .added(cases: record.cases.count)
    }

    // MARK: - Reading

    public func machines() throws(HistoryStoreFailure) -> [(machine: MachineFingerprint, runs: Int)] {
        try access { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT machine.*, COUNT(run.id) AS runs FROM machine JOIN run ON run.machine_id = machine.id
                    GROUP BY machine.id ORDER BY runs DESC, machine.id
                    """
            ).map { (Self.machine($0), $0["runs"]) }
        }
    }

    public func series(casePattern pattern: String, machine: String?, since: String?, basis: HistoryBasis) throws(HistoryStoreFailure)
        -> [CaseHistory]
    {
        let columns =
            basis == .time
            ? "case_estimate.estimator, case_estimate.value_ns AS value, case_estimate.ci95_low_ns AS low, "
                + "case_estimate.ci95_high_ns AS high"
            : "'within_rounds' AS estimator, case_estimate.memcpy_ratio AS value, case_estimate.memcpy_ratio_low AS low, "
                + "case_estimate.memcpy_ratio_high AS high"
        return try access { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT case_estimate.case_id, \(columns), run.run_key, run.started_at, run.git_commit, machine.*
                    FROM case_estimate JOIN run ON run.id = case_estimate.run_id JOIN machine ON machine.id = run.machine_id
                    WHERE case_estimate.case_id GLOB ? AND (? IS NULL OR machine.id LIKE ? || '%') AND (? IS NULL OR run.started_at >= ?)
                        AND value IS NOT NULL
                    ORDER BY machine.id, case_estimate.case_id, run.started_at, run.id
                    """,
                arguments: [CasePattern.sqliteGlob(pattern), machine, machine, since, since])
            var series = SeriesAssembler(basis: basis)
            while let row = try rows.next() {
                let point = HistoryPoint(
                    runKey: row["run_key"], startedAt: row["started_at"], commit: row["git_commit"], value: row["value"],
                    ci95Low: row["low"], ci95High: row["high"], estimator: row["estimator"])
                series.append(caseID: row["case_id"], machineID: row["id"], point: point) { Self.machine(row) }
            }
            return series.histories
        }
    }

    public func runCount() throws(HistoryStoreFailure) -> Int {
        try access { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0 }
    }

    // MARK: - Helpers

    static func machine(_ row: Row) -> MachineFingerprint {
        MachineFingerprint(
            cpuModel: row["cpu_model"], cpuFlags: (row["cpu_flags"] as String).split(separator: " ").map(String.init),
            logicalCPUs: row["logical_cpus"],
            caches: CacheTopology(l1dBytes: row["l1d_bytes"], l2Bytes: row["l2_bytes"], l3Bytes: row["l3_bytes"]),
            os: row["os"], kernel: row["kernel"], virtualMachine: row["virtual_machine"],
            buildConfiguration: row["build_configuration"], measuring: row["measuring"])
    }

    /// Runs `body` in a write transaction (or a read for a read-only store), mapping SQLite's
    /// errors to `HistoryStoreFailure`.
    private func access<T>(_ body: (Database) throws -> T) throws(HistoryStoreFailure) -> T {
        do {
            return try queue.inDatabase { db in
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let failure as HistoryStoreFailure {
            throw failure
        } catch {
            throw Self.failure(error, path: path)
        }
    }

    static func failure(_ error: any Error, path: String) -> HistoryStoreFailure {
        guard let error = error as? DatabaseError else {
            return HistoryStoreFailure(kind: .cannotWrite, description: "\(path): \(error)")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return HistoryStoreFailure(
                kind: .locked, description: "\(path): the store is locked by another process (waited 2 s); try again")
        case .SQLITE_READONLY:
            return HistoryStoreFailure(kind: .cannotWrite, description: "\(path): the store is read-only (\(error.message ?? "readonly"))")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return HistoryStoreFailure(
                kind: .cannotWrite, description: "\(path): cannot open the store (\(error.message ?? "\(error.resultCode)"))")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return HistoryStoreFailure(
                kind: .incompatible, description: "\(path): not a history store (\(error.message ?? "not a database"))")
        default:
            if error.message?.contains("no such table") == true || error.message?.contains("no such column") == true {
                return HistoryStoreFailure(kind: .incompatible, description: "\(path): not a jsa-bench history store (\(error.message!))")
            }
            return HistoryStoreFailure(kind: .cannotWrite, description: "\(path): \(error.message ?? "\(error.resultCode)")")
        }
    }
}
