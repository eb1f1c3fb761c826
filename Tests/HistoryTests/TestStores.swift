import Foundation
import Testing

@testable import History

#if PostgreSQL
    import PostgresNIO
#endif

/// The stores a test can run against: SQLite always; PostgreSQL in a build with the PostgreSQL
/// trait when `JSA_TEST_POSTGRES_URL` names a server (scripts/test-postgres starts one on
/// loopback and sets it).
enum TestStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [TestStoreKind] { PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A new, empty store of this kind; `cleanUp` removes it.
    func makeStore() throws -> (location: HistoryLocation, cleanUp: () -> Void) {
        switch self {
        case .sqlite:
            let path = HistoryFixture.temporaryStore()
            return (.sqlite(path: path), { try? FileManager.default.removeItem(atPath: path) })
        case .postgres:
            let database = try PostgresTestServer.createDatabase()
            return (.postgres(database), { try? PostgresTestServer.dropDatabase(database.database) })
        }
    }
}

/// The PostgreSQL server the tests may use: its administrator's URL, and a fresh database per test.
enum PostgresTestServer {
    /// The administrator's URL (`JSA_TEST_POSTGRES_URL`), nil when no server was started.
    static let url: String? = {
        #if PostgreSQL
            ProcessInfo.processInfo.environment["JSA_TEST_POSTGRES_URL"]
        #else
            nil
        #endif
    }()

    /// Why the PostgreSQL tests do not run, where they do not.
    static let absence =
        "no PostgreSQL server: scripts/test-postgres starts one and sets JSA_TEST_POSTGRES_URL (with a build with --traits PostgreSQL)"

    static var administrator: PostgresAddress { get throws { try PostgresAddress(url: url!) } }

    #if PostgreSQL
        /// A new, empty database on the server, named for this test.
        static func createDatabase() throws -> PostgresAddress {
            var address = try administrator
            address.database = "history_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            try administer("CREATE DATABASE \(address.database)")
            return address
        }

        static func dropDatabase(_ name: String) throws {
            try administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }

        /// Runs `sql` on the administrator's connection.
        static func administer(_ sql: String) throws {
            try withConnection(to: administrator) { connection in try connection.execute(sql) }
        }

        /// Runs `body` with a connection to `address`, closed after.
        static func withConnection<T>(to address: PostgresAddress, _ body: (PostgresConnection) throws -> T) throws -> T {
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try PostgresHistoryStore.configuration(address), id: 2,
                logger: Logger(label: "jsa-bench.tests")
            ).wait()
            defer { try? connection.close().wait() }
            return try body(connection)
        }
    #else
        struct Absent: Error, CustomStringConvertible { var description: String { absence } }
        static func createDatabase() throws -> PostgresAddress { throw Absent() }
        static func dropDatabase(_ name: String) throws { throw Absent() }
    #endif
}

#if PostgreSQL
    extension PostgresConnection {
        /// Runs `sql` (SQL of the test itself, no input) and waits for it.
        func execute(_ sql: String) throws {
            _ = try query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "jsa-bench.tests")).wait()
        }
    }
#endif
