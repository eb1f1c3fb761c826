import BenchModel
import Foundation

/// A results store: every run added, with its machine, its commit and every case's estimate and
/// raw samples. Two stores implement it — a SQLite file (`SQLiteHistoryStore`, the default) and a
/// PostgreSQL database shared by many runners (`PostgresHistoryStore`, with the `PostgreSQL`
/// trait); `HistoryLocation.open` picks one from `--db`.
///
/// Invariants of every store: the schema is versioned and migrated in place, never recreated; a
/// store written by a newer jsa-bench is refused, never rewritten; every add is one transaction, so
/// a run (or a batch of files) is stored whole or not at all; a run is keyed by
/// `HistoryRun.key(of:)`, so adding it twice stores it once.
public protocol HistoryStore: AnyObject {
    /// Where the store is, as the user named it (passwords left out), for messages.
    var name: String { get }

    /// The schema versions applied to this store, oldest first.
    func appliedSchemaVersions() throws(HistoryStoreFailure) -> [String]

    /// Adds the documents `read` returns for `sources`, in their order, all in one transaction:
    /// when reading one fails (the first failure in order is rethrown as it is) or the store does
    /// (a `HistoryStoreFailure`), nothing of the batch is stored. `added` is told each source's
    /// outcome as it is stored. An empty source is stored as none (NULL).
    func add(
        _ sources: [String], reading read: @escaping @Sendable (String) throws -> ResultsDocument,
        added: (String, HistoryAddOutcome) throws -> Void
    ) throws

    /// The machines with runs, with how many runs each, most runs first.
    func machines() throws(HistoryStoreFailure) -> [(machine: MachineFingerprint, runs: Int)]

    /// Every case's series on every machine: case ids matching `pattern` (`*` wildcards), runs
    /// on machines whose id starts with `machine` (nil: all), started at or after `since` (an
    /// ISO 8601 prefix, nil: all), on `basis` (runs without a value on it are left out); oldest
    /// run first.
    func series(casePattern pattern: String, machine: String?, since: String?, basis: HistoryBasis) throws(HistoryStoreFailure)
        -> [CaseHistory]

    /// The number of runs stored.
    func runCount() throws(HistoryStoreFailure) -> Int
}

extension HistoryStore {
    /// Adds `document` as one run, in one transaction; `source` is the file it came from (nil:
    /// none, stored as NULL).
    public func add(_ document: ResultsDocument, source: String?) throws -> HistoryAddOutcome {
        var outcome: HistoryAddOutcome?
        try add([source ?? ""], reading: { _ in document }) { _, result in outcome = result }
        return outcome!
    }

    /// Every series (see `series(casePattern:machine:since:basis:)`), with defaults for each filter.
    public func series(casePattern pattern: String = "*", machine: String? = nil, since: String? = nil, basis: HistoryBasis = .time)
        throws(HistoryStoreFailure) -> [CaseHistory]
    {
        try series(casePattern: pattern, machine: machine, since: since, basis: basis)
    }
}

/// The schema's versions, oldest first, shared by every store: each is one migration, and a
/// store that has applied one this build does not know was written by a newer jsa-bench.
public enum HistorySchema {
    public static let versions = ["v1", "v2"]

    /// The failure for a store whose newest applied version is `newest`, unknown to this build.
    static func newer(_ name: String, newest: String) -> HistoryStoreFailure {
        HistoryStoreFailure(
            kind: .incompatible,
            description: "\(name): the store was written by a newer jsa-bench (schema \(newest); this build knows up to "
                + "\(versions.last!)); use that version or another --db")
    }

    /// The failure for opening a store not yet at this build's version for reading only.
    static func older(_ name: String) -> HistoryStoreFailure {
        HistoryStoreFailure(
            kind: .incompatible,
            description: "\(name): the store's schema is older than this build's; run `jsa-bench history add` once to migrate it")
    }
}

/// What adding one results document did.
public enum HistoryAddOutcome: Equatable, Sendable {
    /// Stored, with this many case estimates.
    case added(cases: Int)
    /// A run with the same key was already stored: nothing changed.
    case alreadyStored
}

/// Why a store cannot do what was asked, by kind, each with one line to say.
public struct HistoryStoreFailure: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file or database is not a store, or its schema is newer (or, for reading, older)
        /// than this build's.
        case incompatible
        /// Another process holds the lock past the time-out.
        case locked
        /// The store cannot be written (or the file opened): read-only, or no permission.
        case cannotWrite
        /// A missing store (or database) where one must exist.
        case missing
        /// The database server cannot be reached.
        case unreachable
        /// The server refused the credentials.
        case denied
        /// This build cannot open such a store (built without the trait it needs).
        case unsupported
    }

    public let kind: Kind
    public let description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }
}
