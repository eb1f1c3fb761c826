#if PostgreSQL
    import BenchModel
    import Foundation
    import PostgresNIO
    import Testing

    @testable import History

    /// What only the PostgreSQL store does, against a real server (scripts/test-postgres starts
    /// one on loopback): its schema and migrations table, the server's locks, read-only
    /// transactions and databases, logins, an unreachable server, and two runners at once. What
    /// every store does is in `HistoryStoreContractTests`.
    @Suite(.enabled(if: PostgresTestServer.url != nil, Comment(rawValue: PostgresTestServer.absence)))
    struct PostgresHistoryStoreTests {
        /// A fresh database with the store's schema, and its address.
        func store() throws -> (PostgresHistoryStore, PostgresAddress) {
            let address = try PostgresTestServer.createDatabase()
            return (try PostgresHistoryStore(address: address), address)
        }

        @Test func aStoreOfANewerSchemaIsRefusedNotRewritten() throws {
            let (_, address) = try store()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            try PostgresTestServer.withConnection(to: address) {
                try $0.execute("INSERT INTO jsa_bench.migrations (identifier) VALUES ('v9')")
            }
            #expect {
                _ = try PostgresHistoryStore(address: address)
            } throws: { error in
                (error as? HistoryStoreFailure)?.kind == .incompatible && "\(error)".contains("newer jsa-bench (schema v9")
            }
            var readOnly: [String] = []
            #expect(throws: HistoryStoreFailure.self) {
                readOnly = try PostgresHistoryStore(address: address, readOnly: true).appliedSchemaVersions()
            }
            #expect(readOnly.isEmpty)
        }

        /// A store of the first schema (v1, before the way of measuring was recorded) is migrated
        /// by the next writer: its runs keep their series, and a huge-page run makes one of its own.
        @Test func aFirstSchemaStoreIsMigratedAndKeepsItsSeries() throws {
            let (first, address) = try store()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            _ = try first.add(HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "a", values: ["x": 1]), source: nil)
            try PostgresTestServer.withConnection(to: address) { connection in
                try connection.execute("ALTER TABLE jsa_bench.machine DROP COLUMN measuring")
                try connection.execute("DELETE FROM jsa_bench.migrations WHERE identifier = 'v2'")
            }
            #expect(throws: HistoryStoreFailure.self) { _ = try PostgresHistoryStore(address: address, readOnly: true) }
            let store = try PostgresHistoryStore(address: address)
            #expect(try store.appliedSchemaVersions() == ["v1", "v2"])
            var huge = HistoryFixture.document(started: "2026-12-02T10:00:00Z", commit: "b", values: ["x": 2])
            huge.run.pages = .huge
            _ = try store.add(huge, source: nil)
            _ = try store.add(HistoryFixture.document(started: "2026-12-03T10:00:00Z", commit: "c", values: ["x": 3]), source: nil)
            let series = try store.series()
            #expect(series.first { $0.machine.measuring == nil }?.points.map(\.commit) == ["a", "c"])
            #expect(series.first { $0.machine.measuring != nil }?.points.map(\.commit) == ["b"])
        }

        @Test func aSchemaOfAnotherProgramIsRefused() throws {
            let address = try PostgresTestServer.createDatabase()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            try PostgresTestServer.withConnection(to: address) { connection in
                try connection.execute("CREATE SCHEMA jsa_bench")
                try connection.execute("CREATE TABLE jsa_bench.run (x int)")
            }
            #expect {
                _ = try PostgresHistoryStore(address: address)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .incompatible && "\($0)".contains("not a jsa-bench history store") }
        }

        @Test func aMissingStoreOrDatabaseIsMissing() throws {
            let address = try PostgresTestServer.createDatabase()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            #expect {
                _ = try PostgresHistoryStore(address: address, readOnly: true)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .missing && "\($0)".contains("no history store") }
            var absent = address
            absent.database = "no_such_database"
            #expect {
                _ = try PostgresHistoryStore(address: absent)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .missing && "\($0)".contains("no_such_database") }
        }

        @Test func aLockedStoreIsLockedAndNothingIsHalfWritten() throws {
            let (store, address) = try store()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            let run = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "abc", values: ["a": 100])
            try PostgresTestServer.withConnection(to: address) { holder in
                try holder.execute("BEGIN")
                try holder.execute("LOCK TABLE jsa_bench.run IN ACCESS EXCLUSIVE MODE")
                #expect {
                    _ = try store.add(run, source: nil)
                } throws: { ($0 as? HistoryStoreFailure)?.kind == .locked }
                try holder.execute("ROLLBACK")
            }
            #expect(try store.runCount() == 0)
            #expect(try store.series().isEmpty)  // the machine row went with the rolled-back transaction
            #expect(try store.add(run, source: nil) == .added(cases: 1))
        }

        @Test func readOnlyTransactionsAndDatabasesCannotBeWritten() throws {
            let (_, address) = try store()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            let run = HistoryFixture.document(started: "x", commit: "y", values: ["a": 1])
            let reader = try PostgresHistoryStore(address: address, readOnly: true)
            #expect {
                _ = try reader.add(run, source: nil)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .cannotWrite }
            try PostgresTestServer.administer("ALTER DATABASE \(address.database) SET default_transaction_read_only = on")
            #expect {
                _ = try PostgresHistoryStore(address: address).add(run, source: nil)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .cannotWrite && "\($0)".contains("read-only") }
            #expect(try reader.runCount() == 0)
        }

        @Test func aRefusedLoginIsDeniedAndNoServerIsUnreachable() throws {
            var wrong = try PostgresTestServer.administrator
            wrong.password = "not the password"
            #expect {
                _ = try PostgresHistoryStore(address: wrong)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .denied }
            var nowhere = try PostgresTestServer.administrator
            nowhere.host = "127.0.0.1"
            nowhere.port = 1  // nothing listens on port 1
            #expect {
                _ = try PostgresHistoryStore(address: nowhere)
            } throws: { ($0 as? HistoryStoreFailure)?.kind == .unreachable && "\($0)".contains("cannot reach the server") }
        }

        @Test func runnersAddingAndMigratingAtOnceStoreEachRunOnce() throws {
            let address = try PostgresTestServer.createDatabase()
            defer { try? PostgresTestServer.dropDatabase(address.database) }
            let runs = HistoryFixture.series(6) { Double(100 + $0) }
            final class Outcomes: @unchecked Sendable {
                var all: [Result<[HistoryAddOutcome], any Error>] = []
                let lock = NSLock()
            }
            let outcomes = Outcomes()
            // Four runners, each migrating a new database and adding the same six runs.
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let result = Result {
                    let store = try PostgresHistoryStore(address: address)
                    return try runs.map { try store.add($0, source: nil) }
                }
                outcomes.lock.withLock { outcomes.all.append(result) }
            }
            let added = try outcomes.all.map { try $0.get() }.joined()
            #expect(added.filter { $0 == .added(cases: 1) }.count == 6)
            #expect(added.filter { $0 == .alreadyStored }.count == 18)
            #expect(try PostgresHistoryStore(address: address, readOnly: true).runCount() == 6)
        }
    }
#endif
