import BenchModel
import Foundation
import GRDB

/// The results store: every run added, with its machine, its commit and every case's estimate
/// and raw samples, in a SQLite file (GRDB). The schema is versioned and migrated in place
/// (`HistoryStore.migrator`); a file written by a newer jsa-bench is refused, never rewritten.
/// Every add is one transaction: a run is stored whole or not at all.
public final class HistoryStore {
    /// Where the store is when no `--db` is given (ignored by git).
    public static let defaultPath = "Reports/history.sqlite"

    /// Why the store cannot do what was asked, by kind, each with one line to say.
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// The file is not a store, or its schema is newer than this build's.
            case incompatible
            /// Another process holds the lock past the time-out.
            case locked
            /// The file or its folder cannot be written (or opened).
            case cannotWrite
            /// A missing store where one must exist.
            case missing
        }

        public let kind: Kind
        public let description: String
    }

    private let queue: DatabaseQueue
    public let path: String

    /// Opens (and with `create`, creates) the store at `path` and brings its schema up to date.
    ///
    /// - Parameter readOnly: open for reading only (`history show`, `history check`): the file
    ///   must exist and is never migrated or written.
    public init(path: String, readOnly: Bool = false) throws(Failure) {
        self.path = path
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw Failure(kind: .missing, description: "\(path): no history store (add runs with `jsa-bench history add`)")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(2)
        configuration.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                if try Self.migrator.hasBeenSuperseded(db) {
                    throw Failure(
                        kind: .incompatible,
                        description: "\(path): the store was written by a newer jsa-bench (schema "
                            + "\(try Self.migrator.appliedIdentifiers(db).sorted().last ?? "?"); this build knows up to "
                            + "\(Self.schemaVersions.last!)); use that version or another --db")
                }
            }
            if !readOnly {
                try Self.migrator.migrate(queue)
            } else if try queue.read({ try !Self.migrator.hasCompletedMigrations($0) }) {
                throw Failure(
                    kind: .incompatible,
                    description: "\(path): the store's schema is older than this build's; run `jsa-bench history add` once to migrate it")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Self.failure(error, path: path)
        }
    }

    // MARK: - Schema

    /// The schema's versions, oldest first; each is one migration.
    public static let schemaVersions = ["v1"]

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
        return migrator
    }

    /// The schema versions applied to this store.
    public func appliedSchemaVersions() throws(Failure) -> [String] {
        try access { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    // MARK: - Adding

    /// What adding one results document did.
    public enum AddOutcome: Equatable, Sendable {
        /// Stored, with this many case estimates.
        case added(cases: Int)
        /// A run with the same key was already stored: nothing changed.
        case alreadyStored
    }

    /// Adds `document` (analysed) as one run, in one transaction.
    public func add(_ document: ResultsDocument, source: String?) throws(Failure) -> AddOutcome {
        try access { db in try Self.insert(document, source: source, into: db) }
    }

    /// Adds the documents `read` returns for `sources`, in their order, all in one transaction:
    /// when reading one fails (the first failure in order is rethrown as it is) or the store does
    /// (a `Failure`), nothing of the batch is stored. Documents are read `readAhead` at a time on
    /// every core (decoding is most of the work), so at most that many are in memory.
    public func add(
        _ sources: [String], reading read: @escaping @Sendable (String) throws -> ResultsDocument, readAhead: Int = 8,
        added: (String, AddOutcome) throws -> Void = { _, _ in }
    ) throws {
        do {
            try queue.inDatabase { db in
                try db.inTransaction {
                    for start in stride(from: 0, to: sources.count, by: max(1, readAhead)) {
                        let batch = Array(sources[start..<min(sources.count, start + max(1, readAhead))])
                        for (source, document) in zip(batch, Self.readConcurrently(batch, read)) {
                            try added(source, try Self.insert(try document.get(), source: source, into: db))
                        }
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw Self.failure(error, path: path)
        }
    }

    /// `read` of every source, run concurrently, each result in its source's place.
    static func readConcurrently(
        _ sources: [String], _ read: @escaping @Sendable (String) throws -> ResultsDocument
    ) -> [Result<ResultsDocument, any Error>] {
        final class Slots: @unchecked Sendable {
            var results: [Result<ResultsDocument, any Error>?]
            let lock = NSLock()
            init(_ count: Int) { results = Array(repeating: nil, count: count) }
        }
        let slots = Slots(sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let result = Result { try read(sources[index]) }
            slots.lock.withLock { slots.results[index] = result }
        }
        return slots.results.map { $0! }
    }

    /// Inserts one run and its case estimates (the caller holds the transaction).
    static func insert(_ document: ResultsDocument, source: String?, into db: Database) throws -> AddOutcome {
        let machine = MachineFingerprint(document.environment)
        let key = HistoryRun.key(of: document)
        let encoder = JSONEncoder()
        if try Int.fetchOne(db, sql: "SELECT 1 FROM run WHERE run_key = ?", arguments: [key]) != nil {
            return .alreadyStored
        }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO machine (id, cpu_model, cpu_flags, logical_cpus, l1d_bytes, l2_bytes, l3_bytes, os, kernel,
                    virtual_machine, build_configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                machine.id, machine.cpuModel, machine.cpuFlags.joined(separator: " "), machine.logicalCPUs,
                machine.caches.l1dBytes, machine.caches.l2Bytes, machine.caches.l3Bytes, machine.os, machine.kernel,
                machine.virtualMachine, machine.buildConfiguration
            ])
        try db.execute(
            sql: """
                INSERT INTO run (run_key, machine_id, started_at, git_commit, git_dirty, preset, results_schema, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key, machine.id, document.run.startedAt, document.run.gitCommit, document.run.gitDirty, document.run.preset,
                document.schema, source
            ])
        let runID = db.lastInsertedRowID
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO case_estimate (run_id, case_id, n, estimator, value_ns, ci95_low_ns, ci95_high_ns,
                    memcpy_ratio, memcpy_ratio_low, memcpy_ratio_high, samples_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var cases = 0
        for c in document.cases {
            guard let estimate = HistoryRun.estimate(of: c), estimate.value.isFinite else { continue }
            let samples = String(decoding: try encoder.encode(c.samplesNs.filter(\.isFinite)), as: UTF8.self)
            let ratio = document.analysis?.ratio(.fractionOfMemcpy, of: c.id)?.estimate
            try insert.execute(arguments: [
                runID, c.id, c.n, estimate.estimator, estimate.value, estimate.low, estimate.high, ratio?.value, ratio?.ci95Low,
                ratio?.ci95High, samples
            ])
            cases += 1
        }
        return .added(cases: cases)
    }

    // MARK: - Reading

    /// The machines with runs, with how many runs each, most runs first.
    public func machines() throws(Failure) -> [(machine: MachineFingerprint, runs: Int)] {
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

    /// Every case's series on every machine: case ids matching `pattern` (`*` wildcards), runs
    /// on machines whose id starts with `machine` (nil: all), started at or after `since` (an
    /// ISO 8601 prefix, nil: all), on `basis` (runs without a value on it are left out); oldest
    /// run first.
    public func series(
        casePattern pattern: String = "*", machine: String? = nil, since: String? = nil, basis: HistoryBasis = .time
    ) throws(Failure) -> [CaseHistory] {
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
                arguments: [Self.sqliteGlob(pattern), machine, machine, since, since])
            var histories: [CaseHistory] = []
            var machines: [String: MachineFingerprint] = [:]
            while let row = try rows.next() {
                let machineID: String = row["id"]
                let point = HistoryPoint(
                    runKey: row["run_key"], startedAt: row["started_at"], commit: row["git_commit"], value: row["value"],
                    ci95Low: row["low"], ci95High: row["high"], estimator: row["estimator"])
                let caseID: String = row["case_id"]
                if let last = histories.last, last.caseID == caseID, last.machine.id == machineID {
                    histories[histories.count - 1].points.append(point)
                } else {
                    let fingerprint = machines[machineID] ?? Self.machine(row)
                    machines[machineID] = fingerprint
                    histories.append(CaseHistory(caseID: caseID, machine: fingerprint, basis: basis, points: [point]))
                }
            }
            return histories
        }
    }

    /// The number of runs stored.
    public func runCount() throws(Failure) -> Int {
        try access { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0 }
    }

    // MARK: - Helpers

    static func machine(_ row: Row) -> MachineFingerprint {
        MachineFingerprint(
            cpuModel: row["cpu_model"], cpuFlags: (row["cpu_flags"] as String).split(separator: " ").map(String.init),
            logicalCPUs: row["logical_cpus"],
            caches: CacheTopology(l1dBytes: row["l1d_bytes"], l2Bytes: row["l2_bytes"], l3Bytes: row["l3_bytes"]),
            os: row["os"], kernel: row["kernel"], virtualMachine: row["virtual_machine"],
            buildConfiguration: row["build_configuration"])
    }

    /// The project's `*` patterns as SQLite GLOB patterns: `*` stays, the other GLOB
    /// metacharacters match themselves.
    static func sqliteGlob(_ pattern: String) -> String {
        var glob = ""
        for character in pattern {
            switch character {
            case "?": glob += "[?]"
            case "[": glob += "[[]"
            default: glob.append(character)
            }
        }
        return glob
    }

    /// Runs `body` in a write transaction (or a read for a read-only store), mapping SQLite's
    /// errors to `Failure`.
    private func access<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try queue.inDatabase { db in
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Self.failure(error, path: path)
        }
    }

    static func failure(_ error: any Error, path: String) -> Failure {
        guard let error = error as? DatabaseError else {
            return Failure(kind: .cannotWrite, description: "\(path): \(error)")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return Failure(kind: .locked, description: "\(path): the store is locked by another process (waited 2 s); try again")
        case .SQLITE_READONLY:
            return Failure(kind: .cannotWrite, description: "\(path): the store is read-only (\(error.message ?? "readonly"))")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return Failure(kind: .cannotWrite, description: "\(path): cannot open the store (\(error.message ?? "\(error.resultCode)"))")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return Failure(kind: .incompatible, description: "\(path): not a history store (\(error.message ?? "not a database"))")
        default:
            if error.message?.contains("no such table") == true || error.message?.contains("no such column") == true {
                return Failure(kind: .incompatible, description: "\(path): not a jsa-bench history store (\(error.message!))")
            }
            return Failure(kind: .cannotWrite, description: "\(path): \(error.message ?? "\(error.resultCode)")")
        }
    }
}
