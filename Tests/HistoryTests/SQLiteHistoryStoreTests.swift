import BenchModel
import Foundation
import GRDB
import Testing

@testable import History

/// What only the SQLite store does: its file, GRDB's migrations, SQLite's locks and permissions.
/// What every store does is in `HistoryStoreContractTests`.
@Suite struct SQLiteHistoryStoreTests {
    @Test func aStoreOfANewerSchemaIsRefusedNotRewritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try SQLiteHistoryStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        #expect {
            _ = try SQLiteHistoryStore(path: path)
        } throws: { error in
            (error as? HistoryStoreFailure)?.kind == .incompatible && "\(error)".contains("newer jsa-bench")
        }
    }

    /// A store of the first schema (v1, before the way of measuring was recorded) is migrated by
    /// the next add: its runs keep their series, and a huge-page run makes one of its own.
    @Test func aFirstSchemaStoreIsMigratedAndKeepsItsSeries() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try SQLiteHistoryStore.migrator.migrate(queue, upTo: "v1")
        let machine = MachineFingerprint(HistoryFixture.environment())
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO machine (id, cpu_model, cpu_flags, logical_cpus, l1d_bytes, l2_bytes, l3_bytes, os, kernel,
                        virtual_machine, build_configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    machine.id, machine.cpuModel, machine.cpuFlags.joined(separator: " "), machine.logicalCPUs,
                    machine.caches.l1dBytes, machine.caches.l2Bytes, machine.caches.l3Bytes, machine.os, machine.kernel,
                    machine.virtualMachine, machine.buildConfiguration
                ])
            try db.execute(
                sql: "INSERT INTO run (run_key, machine_id, started_at, git_commit, results_schema) VALUES ('v1 run', ?, ?, 'a', ?)",
                arguments: [machine.id, "2026-12-01T10:00:00Z", ResultsDocument.schemaVersion])
            try db.execute(
                sql: """
                    INSERT INTO case_estimate (run_id, case_id, n, estimator, value_ns, ci95_low_ns, ci95_high_ns, samples_ns)
                    VALUES (1, 'x', 1000, 'blocked', 1, 0.98, 1.02, '[1]')
                    """)
        }
        #expect(throws: HistoryStoreFailure.self) { _ = try SQLiteHistoryStore(path: path, readOnly: true) }
        let store = try SQLiteHistoryStore(path: path)
        #expect(try store.appliedSchemaVersions() == ["v1", "v2"])
        _ = try store.add(HistoryFixture.document(started: "2026-12-02T10:00:00Z", commit: "b", values: ["x": 2]), source: nil)
        var huge = HistoryFixture.document(started: "2026-12-03T10:00:00Z", commit: "c", values: ["x": 3])
        huge.run.pages = .huge
        _ = try store.add(huge, source: nil)
        let series = try store.series()
        #expect(series.first { $0.machine.measuring == nil }?.points.map(\.commit) == ["a", "b"])
        #expect(series.first { $0.machine.measuring != nil }?.points.map(\.commit) == ["c"])
    }

    /// A run's source is the file it came from, and NULL for a document added without one.
    @Test func aRunWithoutASourceStoresNull() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteHistoryStore(path: path)
        _ = try store.add(HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "a", values: ["x": 1]), source: nil)
        _ = try store.add(HistoryFixture.document(started: "2026-12-02T10:00:00Z", commit: "b", values: ["x": 1]), source: "r.json")
        let sources = try DatabaseQueue(path: path).read { try String?.fetchAll($0, sql: "SELECT source FROM run ORDER BY started_at") }
        #expect(sources == [nil, "r.json"])
    }

    @Test func aFileThatIsNoStoreIsRefused() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteHistoryStore(path: path)
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .incompatible }
        // A SQLite file of another program: refused for reading and for writing, and left as it was.
        try FileManager.default.removeItem(atPath: path)
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE notes (x)") }
        for readOnly in [true, false] {
            #expect {
                _ = try SQLiteHistoryStore(path: path, readOnly: readOnly)
            } throws: {
                ($0 as? HistoryStoreFailure)?.kind == .incompatible
                    && "\($0)" == "\(path): not a jsa-bench history store (it holds the tables notes); use another --db"
            }
        }
        let tables = try other.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(tables == ["notes"])
    }

    /// An empty file, or one with no table but the migrator's (a first `add` that failed, on a
    /// full disk), holds no runs to read, and takes the schema when written.
    @Test func anEmptyDatabaseIsNoStoreToReadAndBecomesOneWhenWritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect {
            _ = try SQLiteHistoryStore(path: path, readOnly: true)
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .missing }
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)") }
        #expect {
            _ = try SQLiteHistoryStore(path: path, readOnly: true)
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .missing }
        let store = try SQLiteHistoryStore(path: path)
        let document = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "a", values: ["x": 1])
        #expect(try store.add(document, source: nil) == .added(cases: 1))
        _ = try SQLiteHistoryStore(path: path, readOnly: true)
    }

    @Test func aMissingStoreIsMissingForReading() {
        #expect {
            _ = try SQLiteHistoryStore(path: "/nonexistent/history.sqlite", readOnly: true)
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .missing }
        #expect {
            _ = try SQLiteHistoryStore(path: "/nonexistent/history.sqlite")
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .cannotWrite }
    }

    @Test func aLockedStoreIsLockedAndNothingIsHalfWritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteHistoryStore(path: path)
        let holder = try DatabaseQueue(path: path)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            let run = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "abc", values: ["a": 100])
            #expect {
                _ = try store.add(run, source: nil)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .locked }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.runCount() == 0)
    }

    @Test func aReadOnlyStoreCannotBeWritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try SQLiteHistoryStore(path: path)
        let store = try SQLiteHistoryStore(path: path, readOnly: true)
        #expect {
            _ = try store.add(HistoryFixture.document(started: "x", commit: "y", values: ["a": 1]), source: nil)
        } throws: { ($0 as? HistoryStoreFailure)?.kind == .cannotWrite }
        #expect(try store.runCount() == 0)
    }
}
