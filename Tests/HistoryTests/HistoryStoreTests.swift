import BenchModel
import Foundation
import GRDB
import Testing

@testable import History

@Suite struct HistoryStoreTests {
    @Test func aRunAddedTwiceIsStoredOnce() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try HistoryStore(path: path)
        let run = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "abc", values: ["a": 100, "b": 200])
        #expect(try store.add(run, source: "r.json") == .added(cases: 2))
        #expect(try store.add(run, source: "copy of r.json") == .alreadyStored)
        #expect(try store.runCount() == 1)
        let reopened = try HistoryStore(path: path)
        #expect(try reopened.add(run, source: nil) == .alreadyStored)
        #expect(try reopened.appliedSchemaVersions() == HistoryStore.schemaVersions)
    }

    @Test func seriesArePerMachineAndNeverMixed() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try HistoryStore(path: path)
        let zen3 = HistoryFixture.environment(cpu: "AMD EPYC 7B13", l2: 512 << 10)
        let xeon = HistoryFixture.environment(cpu: "Intel Xeon", l2: 2 << 20)
        for (k, environment) in [zen3, xeon, zen3].enumerated() {
            _ = try store.add(
                HistoryFixture.document(
                    started: "2026-12-0\(k + 1)T10:00:00Z", commit: "c\(k)", values: ["x/1": 100, "y/1": 50], environment: environment),
                source: nil)
        }
        let all = try store.series()
        #expect(all.count == 4)  // 2 cases × 2 machines
        let zen3Series = try #require(all.first { $0.caseID == "x/1" && $0.machine.cpuModel == "AMD EPYC 7B13" })
        #expect(zen3Series.points.map(\.commit) == ["c0", "c2"])
        #expect(zen3Series.machine.id == MachineFingerprint(zen3).id)
        #expect(MachineFingerprint(zen3).id != MachineFingerprint(xeon).id)
        // The host name is not part of the fingerprint.
        var renamed = zen3
        renamed.hostname = "runner-2"
        #expect(MachineFingerprint(renamed).id == MachineFingerprint(zen3).id)
        let prefix = String(MachineFingerprint(xeon).id.prefix(6))
        #expect(try store.series(casePattern: "x/*", machine: prefix).map(\.points.count) == [1])
        #expect(try store.series(since: "2026-12-02").flatMap(\.points).compactMap(\.commit).sorted() == ["c1", "c1", "c2", "c2"])
        #expect(try store.machines().map(\.runs) == [2, 1])
    }

    @Test func aStoreOfANewerSchemaIsRefusedNotRewritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try HistoryStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        #expect {
            _ = try HistoryStore(path: path)
        } throws: { error in
            (error as? HistoryStore.Failure)?.kind == .incompatible && "\(error)".contains("newer jsa-bench")
        }
    }

    @Test func aFileThatIsNoStoreIsRefused() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try HistoryStore(path: path)
        } throws: { ($0 as? HistoryStore.Failure)?.kind == .incompatible }
        // A SQLite file of another program.
        try FileManager.default.removeItem(atPath: path)
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect {
            _ = try HistoryStore(path: path, readOnly: true)
        } throws: { ($0 as? HistoryStore.Failure)?.kind == .incompatible }
    }

    @Test func aMissingStoreIsMissingForReading() {
        #expect {
            _ = try HistoryStore(path: "/nonexistent/history.sqlite", readOnly: true)
        } throws: { ($0 as? HistoryStore.Failure)?.kind == .missing }
        #expect {
            _ = try HistoryStore(path: "/nonexistent/history.sqlite")
        } throws: { ($0 as? HistoryStore.Failure)?.kind == .cannotWrite }
    }

    @Test func aLockedStoreIsLockedAndNothingIsHalfWritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try HistoryStore(path: path)
        let holder = try DatabaseQueue(path: path)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            let run = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "abc", values: ["a": 100])
            #expect {
                _ = try store.add(run, source: nil)
            } throws: { ($0 as? HistoryStore.Failure)?.kind == .locked }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.runCount() == 0)
    }

    @Test func aReadOnlyStoreCannotBeWritten() throws {
        let path = HistoryFixture.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try HistoryStore(path: path)
        let store = try HistoryStore(path: path, readOnly: true)
        #expect {
            _ = try store.add(HistoryFixture.document(started: "x", commit: "y", values: ["a": 1]), source: nil)
        } throws: { ($0 as? HistoryStore.Failure)?.kind == .cannotWrite }
        #expect(try store.runCount() == 0)
    }

    @Test func patternsMatchAsTheProjectsGlobsDo() {
        #expect(HistoryStore.sqliteGlob("native/*/n=1000/*") == "native/*/n=1000/*")
        #expect(HistoryStore.sqliteGlob("a?[b]") == "a[?][[]b]")
    }
}
