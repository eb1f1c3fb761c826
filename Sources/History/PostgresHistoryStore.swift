#if PostgreSQL
    import BenchModel
    import Foundation
    import PostgresNIO

    /// The history in a PostgreSQL database, through postgres-nio: one store that a fleet of CI
    /// runners share. The tables are those of the SQLite store, in their own schema `jsa_bench` (so
    /// they live beside anything else in the database); `jsa_bench.migrations` holds the applied
    /// versions. Migrations and adds are transactions: two runners migrating at once take turns (an
    /// advisory lock), two adding the same run store it once (the run key is unique), and a writer
    /// waits at most 2 s for another's lock.
    ///
    /// The store is synchronous, as the commands are: each call waits for its queries on one
    /// connection, opened by `init` and closed with the store.
    public final class PostgresHistoryStore: HistoryStore {
        public let address: PostgresAddress
        public var name: String { address.description }
        private let connection: PostgresConnection
        private let logger: Logger

        /// The lock migrations take, so that runners migrating at once take turns.
        static let migrationLock = 0x6A73_6162_656E_6368  // "jsabench"

        /// Connects to `address` and (unless `readOnly`) brings the schema up to date.
        ///
        /// - Parameter readOnly: every transaction is read only and the schema must already be at
        ///   this build's version.
        public init(address: PostgresAddress, readOnly: Bool = false) throws(HistoryStoreFailure) {
            self.address = address
            var logger = Logger(label: "jsa-bench.history")
            logger.logLevel = .critical
            self.logger = logger
            let connection: PostgresConnection
            do {
                connection = try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try Self.configuration(address), id: 1,
                    logger: logger
                ).wait()
            } catch {
                throw Self.failure(error, address: address, connecting: true)
            }
            self.connection = connection
            try execute(readOnly ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY" : "SET lock_timeout = '2s'")
            try transaction { () throws(HistoryStoreFailure) in
                guard try single(Bool.self, "SELECT to_regclass('jsa_bench.migrations') IS NOT NULL") else {
                    if readOnly {
                        throw HistoryStoreFailure(
                            kind: .missing, description: "\(name): no history store (add runs with `jsa-bench history add`)")
                    }
                    if try single(Bool.self, "SELECT to_regnamespace('jsa_bench') IS NOT NULL") {
                        throw HistoryStoreFailure(
                            kind: .incompatible, description: "\(name): schema jsa_bench exists but is not a jsa-bench history store")
                    }
                    return
                }
                if let newest = try appliedSchemaVersions().last(where: { !HistorySchema.versions.contains($0) }) {
                    throw HistorySchema.newer(name, newest: newest)
                }
            }
            if readOnly {
                guard try appliedSchemaVersions() == HistorySchema.versions else { throw HistorySchema.older(name) }
            } else {
                try migrate()
            }
        }

        deinit {
            try? connection.close().wait()
        }

        // MARK: - Schema

        /// Each schema version's statements (SQL of this file, run as it is); `HistorySchema.versions`
        /// lists the versions in order.
        static let migrations: [String: [String]] = [
            "v1": [
                """
                CREATE TABLE jsa_bench.machine (
                    id TEXT PRIMARY KEY,
                    cpu_model TEXT NOT NULL, cpu_flags TEXT NOT NULL, logical_cpus BIGINT NOT NULL,
                    l1d_bytes BIGINT, l2_bytes BIGINT, l3_bytes BIGINT,
                    os TEXT NOT NULL, kernel TEXT NOT NULL, virtual_machine BOOLEAN NOT NULL,
                    build_configuration TEXT NOT NULL)
                """,
                """
                CREATE TABLE jsa_bench.run (
                    id BIGSERIAL PRIMARY KEY,
                    run_key TEXT NOT NULL UNIQUE,
                    machine_id TEXT NOT NULL REFERENCES jsa_bench.machine(id),
                    started_at TEXT NOT NULL, git_commit TEXT, git_dirty BOOLEAN, preset TEXT,
                    results_schema TEXT NOT NULL, source TEXT)
                """,
                "CREATE INDEX run_by_machine_and_time ON jsa_bench.run(machine_id, started_at)",
                """
                CREATE TABLE jsa_bench.case_estimate (
                    run_id BIGINT NOT NULL REFERENCES jsa_bench.run(id) ON DELETE CASCADE,
                    case_id TEXT NOT NULL,
                    n BIGINT NOT NULL,
                    estimator TEXT NOT NULL,
                    value_ns DOUBLE PRECISION NOT NULL, ci95_low_ns DOUBLE PRECISION NOT NULL,
                    ci95_high_ns DOUBLE PRECISION NOT NULL,
                    memcpy_ratio DOUBLE PRECISION, memcpy_ratio_low DOUBLE PRECISION, memcpy_ratio_high DOUBLE PRECISION,
                    samples_ns TEXT NOT NULL,
                    PRIMARY KEY (run_id, case_id))
                """,
                "CREATE INDEX estimate_by_case ON jsa_bench.case_estimate(case_id)"
            ],
            // A way of measuring other than warm on 4 KiB pages (`MachineFingerprint.measuring`);
            // the machines stored before it were measured so (NULL).
            "v2": ["ALTER TABLE jsa_bench.machine ADD COLUMN measuring TEXT"]
        ]

        /// Applies the versions this store lacks, in order, in one transaction under the migration lock.
        private func migrate() throws(HistoryStoreFailure) {
            try transaction { () throws(HistoryStoreFailure) in
                try execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
                try execute("CREATE SCHEMA IF NOT EXISTS jsa_bench")
                try execute(
                    """
                    CREATE TABLE IF NOT EXISTS jsa_bench.migrations (
                        identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """)
                let applied = Set(try appliedSchemaVersions())
                for version in HistorySchema.versions where !applied.contains(version) {
                    for statement in Self.migrations[version]! { try execute(PostgresQuery(unsafeSQL: statement)) }
                    try execute("INSERT INTO jsa_bench.migrations (identifier) VALUES (\(version))")
                }
            }
        }

        public func appliedSchemaVersions() throws(HistoryStoreFailure) -> [String] {
            try rows("SELECT identifier FROM jsa_bench.migrations ORDER BY identifier COLLATE \"C\"").map {
                row throws(HistoryStoreFailure) in try decode(String.self, row.makeRandomAccess()["identifier"])
            }
        }

        // MARK: - Adding

        public func add(
            _ sources: [String], reading read: @escaping @Sendable (String) throws -> ResultsDocument,
            added: (String, HistoryAddOutcome) throws -> Void
        ) throws {
            try execute("BEGIN")
            do {
                try HistoryRecord.forEach(sources, reading: read) { source, document in
                    try added(source, try insert(try HistoryRecord(document), source: HistoryRecord.storedSource(source)))
                }
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }

        /// Inserts one run and its case estimates (the caller holds the transaction).
        private func insert(_ record: HistoryRecord, source: String?) throws(HistoryStoreFailure) -> HistoryAddOutcome {
            let machine = record.machine
            try execute(
                """
                INSERT INTO jsa_bench.machine (id, cpu_model, cpu_flags, logical_cpus, l1d_bytes, l2_bytes, l3_bytes, os, kernel,
                    virtual_machine, build_configuration, measuring)
                VALUES (\(machine.id), \(machine.cpuModel), \(machine.cpuFlags.joined(separator: " ")), \(machine.logicalCPUs),
                    \(machine.caches.l1dBytes), \(machine.caches.l2Bytes), \(machine.caches.l3Bytes), \(machine.os), \(machine.kernel),
                    \(machine.virtualMachine), \(machine.buildConfiguration), \(machine.measuring))
                ON CONFLICT (id) DO NOTHING
                """)
            let inserted = try rows(
                """
                INSERT INTO jsa_bench.run (run_key, machine_id, started_at, git_commit, git_dirty, preset, results_schema, source)
                VALUES (\(record.key), \(machine.id), \(record.startedAt), \(record.gitCommit), \(record.gitDirty), \(record.preset),
                    \(record.resultsSchema), \(source))
                ON CONFLICT (run_key) DO NOTHING RETURNING id
                """)
            guard let row = inserted.first else { return .alreadyStored }
            let runID = try decode(Int.self, row.makeRandomAccess()["id"])
            // All cases in one statement: 11 parameters per case, far below the protocol's 65535.
            for chunk in stride(from: 0, to: record.cases.count, by: 1000).map({ record.cases[$0..<min($0 + 1000, record.cases.count)] }) {
                var bindings = PostgresBindings(capacity: chunk.count * 11)
                var tuples: [String] = []
                for c in chunk {
                    let first = bindings.count + 1
                    tuples.append("(" + (first..<first + 11).map { "$\($0)" }.joined(separator: ", ") + ")")
                    bindings.append(runID)
                    bindings.append(c.caseID)
                    bindings.append(c.n)
                    bindings.append(c.estimator)
                    bindings.append(c.value)
                    bindings.append(c.low)
                    bindings.append(c.high)
                    bindings.append(c.memcpyRatio?.value)
                    bindings.append(c.memcpyRatio?.ci95Low)
                    bindings.append(c.memcpyRatio?.ci95High)
                    bindings.append(c.samplesJSON)
                }
                try execute(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO jsa_bench.case_estimate (run_id, case_id, n, estimator, value_ns, ci95_low_ns, ci95_high_ns,
                                memcpy_ratio, memcpy_ratio_low, memcpy_ratio_high, samples_ns)
                            VALUES \(tuples.joined(separator: ", "))
                            """, binds: bindings))
            }
            return .added(cases: record.cases.count)
        }

        // MARK: - Reading

        public func machines() throws(HistoryStoreFailure) -> [(machine: MachineFingerprint, runs: Int)] {
            try rows(
                """
                SELECT machine.*, COUNT(run.id) AS runs FROM jsa_bench.machine JOIN jsa_bench.run ON run.machine_id = machine.id
                GROUP BY machine.id ORDER BY runs DESC, machine.id COLLATE "C"
                """
            ).map { row throws(HistoryStoreFailure) in
                let row = row.makeRandomAccess()
                return (try machine(row), try decode(Int.self, row["runs"]))
            }
        }

        public func series(casePattern pattern: String, machine: String?, since: String?, basis: HistoryBasis) throws(HistoryStoreFailure)
            -> [CaseHistory]
        {
            let columns =
                basis == .time
                ? "e.estimator, e.value_ns AS value, e.ci95_low_ns AS low, e.ci95_high_ns AS high"
                : "'within_rounds' AS estimator, e.memcpy_ratio AS value, e.memcpy_ratio_low AS low, e.memcpy_ratio_high AS high"
            let valueColumn = basis == .time ? "e.value_ns" : "e.memcpy_ratio"
            let casePattern = CasePattern.sqlLike(pattern)
            let machinePattern = machine.map { CasePattern.sqlLike($0) + "%" }
            // The basis picks columns, never values: those two are SQL of this file, not input.
            let query: PostgresQuery = """
                SELECT e.case_id, \(unescaped: columns), r.run_key, r.started_at, r.git_commit, machine.*
                FROM jsa_bench.case_estimate e JOIN jsa_bench.run r ON r.id = e.run_id
                    JOIN jsa_bench.machine ON machine.id = r.machine_id
                WHERE e.case_id LIKE \(casePattern) AND (\(machinePattern)::text IS NULL OR machine.id LIKE \(machinePattern))
                    AND (\(since)::text IS NULL OR r.started_at >= \(since)) AND \(unescaped: valueColumn) IS NOT NULL
                ORDER BY machine.id COLLATE "C", e.case_id COLLATE "C", r.started_at COLLATE "C", r.id
                """
            var series = SeriesAssembler(basis: basis)
            for row in try rows(query) {
                let row = row.makeRandomAccess()
                let point = HistoryPoint(
                    runKey: try decode(String.self, row["run_key"]), startedAt: try decode(String.self, row["started_at"]),
                    commit: try decode(String?.self, row["git_commit"]), value: try decode(Double.self, row["value"]),
                    ci95Low: try decode(Double.self, row["low"]), ci95High: try decode(Double.self, row["high"]),
                    estimator: try decode(String.self, row["estimator"]))
                try series.append(
                    caseID: try decode(String.self, row["case_id"]), machineID: try decode(String.self, row["id"]), point: point
                ) { () throws(HistoryStoreFailure) in try self.machine(row) }
            }
            return series.histories
        }

        public func runCount() throws(HistoryStoreFailure) -> Int {
            try single(Int.self, "SELECT COUNT(*) FROM jsa_bench.run")
        }

        // MARK: - Queries

        /// Runs `body` in one transaction, rolled back when it throws.
        private func transaction(_ body: () throws(HistoryStoreFailure) -> Void) throws(HistoryStoreFailure) {
            try execute("BEGIN")
            do {
                try body()
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }

        private func rows(_ query: PostgresQuery) throws(HistoryStoreFailure) -> [PostgresRow] {
            do {
                return Array(try connection.query(query, logger: logger).wait())
            } catch {
                throw Self.failure(error, address: address, connecting: false)
            }
        }

        private func execute(_ query: PostgresQuery) throws(HistoryStoreFailure) {
            _ = try rows(query)
        }

        private func single<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) throws(HistoryStoreFailure) -> T {
            guard let row = try rows(query).first else {
                throw HistoryStoreFailure(kind: .incompatible, description: "\(name): \(query.sql) returned no row")
            }
            return try decode(type, row.makeRandomAccess()[0])
        }

        private func decode<T: PostgresDecodable>(_ type: T.Type, _ cell: PostgresCell) throws(HistoryStoreFailure) -> T {
            do {
                return try cell.decode(type)
            } catch {
                throw HistoryStoreFailure(
                    kind: .incompatible, description: "\(name): column \(cell.columnName) is not what a jsa-bench history store holds")
            }
        }

        private func machine(_ row: PostgresRandomAccessRow) throws(HistoryStoreFailure) -> MachineFingerprint {
            MachineFingerprint(
                cpuModel: try decode(String.self, row["cpu_model"]),
                cpuFlags: try decode(String.self, row["cpu_flags"]).split(separator: " ").map(String.init),
                logicalCPUs: try decode(Int.self, row["logical_cpus"]),
                caches: CacheTopology(
                    l1dBytes: try decode(Int?.self, row["l1d_bytes"]), l2Bytes: try decode(Int?.self, row["l2_bytes"]),
                    l3Bytes: try decode(Int?.self, row["l3_bytes"])),
                os: try decode(String.self, row["os"]), kernel: try decode(String.self, row["kernel"]),
                virtualMachine: try decode(Bool.self, row["virtual_machine"]),
                buildConfiguration: try decode(String.self, row["build_configuration"]),
                measuring: try decode(String?.self, row["measuring"]))
        }

        // MARK: - Connection and errors

        static func configuration(_ address: PostgresAddress) throws -> PostgresConnection.Configuration {
            var configuration: PostgresConnection.Configuration
            if let socket = address.unixSocketPath {
                configuration = .init(
                    unixSocketPath: socket, username: address.user, password: address.password, database: address.database)
            } else {
                let tls: PostgresConnection.Configuration.TLS
                switch address.tls {
                case .disable: tls = .disable
                case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
                configuration = .init(
                    host: address.host, port: address.port, username: address.user, password: address.password,
                    database: address.database, tls: tls)
            }
            configuration.options.connectTimeout = .seconds(5)
            return configuration
        }

        /// A postgres-nio or SwiftNIO error as the store's failure: by the server's SQLSTATE where
        /// it sent one, else (the server not reached, or the connection lost) unreachable.
        static func failure(_ error: any Error, address: PostgresAddress, connecting: Bool) -> HistoryStoreFailure {
            if let failure = error as? HistoryStoreFailure { return failure }
            guard let error = error as? PSQLError else {
                return HistoryStoreFailure(kind: .unreachable, description: "\(address): cannot reach the server (\(error))")
            }
            let message = error.serverInfo?[.message]
            switch (error.code, error.serverInfo?[.sqlState]) {
            case (.server, "28P01"?), (.server, "28000"?), (.authMechanismRequiresPassword, _), (.unsupportedAuthMechanism, _),
                (.saslError, _):
                return HistoryStoreFailure(
                    kind: .denied, description: "\(address): the server refused the login (\(message ?? "\(error.code)"))")
            case (.server, "3D000"?):
                return HistoryStoreFailure(kind: .missing, description: "\(address): \(message ?? "no such database")")
            case (.server, "55P03"?), (.server, "40P01"?):
                return HistoryStoreFailure(
                    kind: .locked, description: "\(address): the store is locked by another client (waited 2 s); try again")
            case (.server, "25006"?), (.server, "42501"?):
                return HistoryStoreFailure(kind: .cannotWrite, description: "\(address): the store cannot be written (\(message ?? ""))")
            case (.server, let state?) where state.hasPrefix("42"):
                return HistoryStoreFailure(
                    kind: .incompatible, description: "\(address): not a jsa-bench history store (\(message ?? state))")
            case (.server, _):
                return HistoryStoreFailure(kind: .cannotWrite, description: "\(address): \(message ?? "\(error.code)")")
            case (.sslUnsupported, _):
                return HistoryStoreFailure(kind: .unreachable, description: "\(address): the server does not support TLS (sslmode=require)")
            default:
                let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
                return HistoryStoreFailure(
                    kind: .unreachable,
                    description: "\(address): \(connecting ? "cannot reach the server" : "lost the connection to the server") (\(cause))")
            }
        }
    }
#endif
