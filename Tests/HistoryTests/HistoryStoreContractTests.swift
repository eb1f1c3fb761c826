import BenchModel
import Foundation
import Testing

@testable import History

/// What every store does, the same on each: one run stored once, series per machine, batches all
/// or nothing, patterns, both bases. Runs on SQLite always and on PostgreSQL where a server is
/// (`TestStoreKind.available`).
@Suite struct HistoryStoreContractTests {
    @Test(arguments: TestStoreKind.available) func aRunAddedTwiceIsStoredOnce(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
        let run = HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "abc", values: ["a": 100, "b": 200])
        #expect(try store.add(run, source: "r.json") == .added(cases: 2))
        #expect(try store.add(run, source: "copy of r.json") == .alreadyStored)
        #expect(try store.runCount() == 1)
        let reopened = try location.open(readOnly: false)
        #expect(try reopened.add(run, source: nil) == .alreadyStored)
        #expect(try reopened.appliedSchemaVersions() == HistorySchema.versions)
        #expect(try location.open(readOnly: true).runCount() == 1)
    }

    @Test(arguments: TestStoreKind.available) func seriesArePerMachineAndNeverMixed(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
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
        #expect(zen3Series.machine == MachineFingerprint(zen3))
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

    /// Runs of one machine measured cold or on huge pages make series of their own, and the
    /// store gives their way of measuring back.
    @Test(arguments: TestStoreKind.available) func runsMeasuredOtherwiseMakeSeriesOfTheirOwn(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
        for (k, (cold, pages)) in [(false, PageSize.base), (false, .huge), (true, .base), (false, .base)].enumerated() {
            var document = HistoryFixture.document(started: "2026-12-0\(k + 1)T10:00:00Z", commit: "c\(k)", values: ["x/1": 100])
            document.run.cold = cold
            document.run.pages = pages
            _ = try store.add(document, source: nil)
        }
        let series = try store.series()
        #expect(series.count == 3)
        #expect(Set(series.map(\.machine.measuring)) == [nil, "2 MiB huge pages", "cold caches"])
        #expect(series.first { $0.machine.measuring == nil }?.points.map(\.commit) == ["c0", "c3"])
        #expect(Set(try store.machines().map(\.machine.measuring)) == [nil, "2 MiB huge pages", "cold caches"])
    }

    @Test(arguments: TestStoreKind.available) func aBatchWithAnUnreadableFileStoresNothing(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
        struct Unreadable: Error {}
        let documents = HistoryFixture.series(20) { _ in 100 }
        var told: [String] = []
        #expect(throws: Unreadable.self) {
            try store.add(
                (0..<20).map { "r\($0).json" },
                reading: { source in
                    guard source != "r13.json" else { throw Unreadable() }
                    return documents[Int(source.dropFirst().dropLast(5))!]
                }
            ) { source, _ in told.append(source) }
        }
        #expect(told.count == 13)  // stored inside the transaction, then rolled back
        #expect(try store.runCount() == 0)
    }

    @Test(arguments: TestStoreKind.available) func patternsMatchAsTheProjectsGlobsDo(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
        let ids = ["native/into/avx2/n=1000/p=30", "native/into/avx2/n=10000/p=30", "a_b", "axb", "a%b", "a?b", "a[b]"]
        _ = try store.add(
            HistoryFixture.document(
                started: "2026-12-01T10:00:00Z", commit: "c", values: Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) })),
            source: nil)
        func matched(_ pattern: String) throws -> [String] { try store.series(casePattern: pattern).map(\.caseID) }
        #expect(try matched("native/*/n=1000/*") == ["native/into/avx2/n=1000/p=30"])
        #expect(try matched("a_b") == ["a_b"])
        #expect(try matched("a%b") == ["a%b"])
        #expect(try matched("a?b") == ["a?b"])
        #expect(try matched("a[b]") == ["a[b]"])
        #expect(try matched("a*b") == ["a%b", "a?b", "a_b", "axb"])
        #expect(try matched("*").count == ids.count)
    }

    @Test(arguments: TestStoreKind.available) func theMemcpyBasisLeavesOutRunsWithoutARatio(_ kind: TestStoreKind) throws {
        let (location, cleanUp) = try kind.makeStore()
        defer { cleanUp() }
        let store = try location.open(readOnly: false)
        _ = try store.add(HistoryFixture.document(started: "2026-12-01T10:00:00Z", commit: "c", values: ["a": 1]), source: nil)
        #expect(try store.series(basis: .time).map(\.points.count) == [1])
        #expect(try store.series(basis: .memcpy).isEmpty)  // the fixture has no analysis, so no ratio
    }
}

/// `--db`: what names a PostgreSQL database, what a file, and what is refused.
@Suite struct HistoryLocationTests {
    @Test func aPathIsAFileAndAURLADatabase() throws {
        #expect(try HistoryLocation("Reports/h.sqlite") == .sqlite(path: "Reports/h.sqlite"))
        guard case .postgres(let address) = try HistoryLocation("postgresql://ci:s3cret@db.example:6543/bench?sslmode=require") else {
            Issue.record("not a database")
            return
        }
        #expect(address.host == "db.example" && address.port == 6543 && address.user == "ci" && address.password == "s3cret")
        #expect(address.database == "bench" && address.tls == .require && address.unixSocketPath == nil)
        #expect(address.description == "postgres://ci@db.example:6543/bench")  // no password in messages
    }

    @Test func whatTheURLLeavesOutComesFromLibpqsVariablesThenItsDefaults() throws {
        let fromEnvironment = try PostgresAddress(
            url: "postgres://", environment: ["PGHOST": "h", "PGPORT": "5433", "PGUSER": "u", "PGPASSWORD": "p", "PGDATABASE": "d"])
        #expect(fromEnvironment == (try PostgresAddress(url: "postgres://u:p@h:5433/d")))
        let defaults = try PostgresAddress(url: "postgres://", environment: ["USER": "me"])
        #expect(defaults.host == "localhost" && defaults.port == 5432 && defaults.user == "me" && defaults.database == "me")
        #expect(defaults.tls == .prefer && defaults.password == nil)
        let socket = try PostgresAddress(url: "postgres://u@/d?host=/run/postgresql&port=5444")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5444")
        #expect(socket.description == "postgres://u@:5444/d?host=/run/postgresql")
    }

    @Test(arguments: [
        ("postgres://h:0/d", "port"), ("postgres://h/d/e", "one database"), ("postgres://h/d?sslmode=verify-full", "sslmode"),
        ("postgres://h/d?options=x", "unknown parameter options"), ("postgres://h/d?sslmode", "has no value")
    ])
    func aMalformedURLIsRefusedWithItsReason(_ url: String, _ reason: String) {
        #expect {
            _ = try HistoryLocation(url)
        } throws: { "\($0)".contains(reason) && "\($0)".hasPrefix(url) }
    }

    @Test func patternsBecomeEachStoresPatterns() {
        #expect(CasePattern.sqliteGlob("native/*/n=1000/*") == "native/*/n=1000/*")
        #expect(CasePattern.sqliteGlob("a?[b]") == "a[?][[]b]")
        #expect(CasePattern.sqlLike("native/*/n=1000/*") == "native/%/n=1000/%")
        #expect(CasePattern.sqlLike("a_b%c\\d") == "a\\_b\\%c\\\\d")
    }

    #if !PostgreSQL
        @Test func aBuildWithoutTheTraitSaysSoForADatabase() {
            #expect {
                _ = try HistoryLocation("postgres://127.0.0.1/x").open(readOnly: true)
            } throws: { error in
                (error as? HistoryStoreFailure)?.kind == .unsupported && "\(error)".contains("--traits PostgreSQL")
            }
        }
    #endif
}
