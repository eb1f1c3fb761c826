import Foundation

/// Where the history is: a SQLite file (a path) or a PostgreSQL database (a `postgres://` or
/// `postgresql://` URL), as `--db` names it.
public enum HistoryLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    /// The store when no `--db` is given: `Reports/history.sqlite` (ignored by git).
    public static let standard = HistoryLocation.sqlite(path: SQLiteHistoryStore.defaultPath)

    /// Whether this build can open PostgreSQL stores (it was built with the PostgreSQL trait).
    public static let postgresBuilt: Bool = {
        #if PostgreSQL
            true
        #else
            false
        #endif
    }()

    /// How to get a build that can (for messages).
    public static let postgresBuildHint = "swift build -c release --traits PostgreSQL"

    /// Reads `--db`: a URL whose scheme is postgres or postgresql names a database, anything
    /// else a file. Throws a one-line reason for a malformed URL.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresAddress.Invalid) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(url: text, environment: environment))
        } else {
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }

    /// Opens the store (with `readOnly` false, creating and migrating it).
    ///
    /// - Parameter readOnly: open for reading only (`history show`, `history check`): the store
    ///   must exist and is never migrated or written.
    public func open(readOnly: Bool) throws(HistoryStoreFailure) -> any HistoryStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteHistoryStore(path: path, readOnly: readOnly)
        case .postgres(let address):
            #if PostgreSQL
                return try PostgresHistoryStore(address: address, readOnly: readOnly)
            #else
                throw HistoryStoreFailure(
                    kind: .unsupported,
                    description: "\(address): this jsa-bench was built without PostgreSQL support; build it with "
                        + "`\(Self.postgresBuildHint)`")
            #endif
        }
    }
}

/// A PostgreSQL server and database, from a libpq-style URL:
/// `postgres://[user[:password]@][host][:port][/database][?sslmode=disable|prefer|require&host=/socket/dir]`.
/// What the URL leaves out comes from libpq's environment variables (`PGUSER`, `PGPASSWORD`,
/// `PGHOST`, `PGPORT`, `PGDATABASE`), then libpq's defaults (the login name, localhost, 5432, a
/// database named as the user). A `host` that is a folder means the server's Unix socket in it.
public struct PostgresAddress: Equatable, Sendable, CustomStringConvertible {
    /// Whether the connection uses TLS, as libpq's `sslmode` says (its default is `prefer`).
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    /// A URL that cannot name a database, with the reason.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// A host name or address, or a folder holding the server's Unix socket.
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// The socket file when `host` is a folder (libpq's convention: `.s.PGSQL.PORT` in it).
    public var unixSocketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    public init(url text: String, environment: [String: String] = [:]) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw Invalid(description: "\(text): not a postgres:// URL") }
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] {
            guard let value = item.value else { throw Invalid(description: "\(text): query parameter \(item.name) has no value") }
            query[item.name] = value
        }
        if let unknown = query.keys.sorted().first(where: { !["sslmode", "host", "port", "user", "password", "dbname"].contains($0) }) {
            throw Invalid(description: "\(text): unknown parameter \(unknown) (known: sslmode, host, port, user, password, dbname)")
        }
        let urlHost = url.percentEncodedHost.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        host = query["host"] ?? urlHost ?? environment["PGHOST"] ?? "localhost"
        guard let port = Int(query["port"] ?? url.port.map(String.init) ?? environment["PGPORT"] ?? "5432"), (1...65535).contains(port)
        else {
            throw Invalid(description: "\(text): the port must be a number in 1...65535")
        }
        self.port = port
        user = query["user"] ?? url.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = query["password"] ?? url.password ?? environment["PGPASSWORD"]
        let path = String(url.path.drop { $0 == "/" })
        guard !path.contains("/") else { throw Invalid(description: "\(text): the path must be one database name") }
        database = query["dbname"] ?? (path.isEmpty ? nil : path) ?? environment["PGDATABASE"] ?? user
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: mode) else {
            throw Invalid(
                description: "\(text): sslmode \(mode) is not supported (use \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.tls = tls
    }

    /// The address as a URL without the password, for messages.
    public var description: String {
        guard unixSocketPath == nil else { return "postgres://\(user)@:\(port)/\(database)?host=\(host)" }
        let server = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(server):\(port)/\(database)"
    }
}
