import ArgumentParser
import BenchModel
import History
import Statistics

extension HistoryBasis: ExpressibleByArgument {}

/// `jsa-bench history`: the results store across commits and machines.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Keep every run in a store and find the steps in each case's series.",
        discussion: """
            add stores results files (idempotent: a run added twice is stored once); show prints each \
            case's series per machine with its change points, an SVG trend chart per series and a \
            markdown summary; check exits 1 when a series' newest change point is a regression beyond \
            the threshold. Series are per machine fingerprint (CPU model and flags, logical CPUs, caches, \
            OS and kernel, VM or not, build) and never mixed.

            The store is a SQLite file (default Reports/history.sqlite) or, with --db postgres://…, a \
            PostgreSQL database that many runners share (a build with `--traits PostgreSQL`).

            Exit codes: 0 ok (check: pass); 1 (check) a regression; 3 (check) no series long enough to \
            test; 64 usage; 65 an invalid results file or a store that is not one, or of a newer schema; \
            66 a missing file, store or database; 69 the server cannot be reached, or this build has no \
            PostgreSQL; 73 the store cannot be written; 75 the store is locked; 77 the server refused \
            the login.
            """,
        subcommands: [HistoryAddCommand.self, HistoryShowCommand.self, HistoryCheckCommand.self])
}

/// The store every history subcommand reads or writes.
struct HistoryStoreOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The history store: a SQLite file (created by add), or a PostgreSQL database "
                + "(postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]).",
            valueName: "path|url"),
        transform: { text in try HistoryLocation(text) })
    var db: HistoryLocation = .standard

    /// Opens the store, mapping its failures to exit codes.
    func open(readOnly: Bool) throws -> any HistoryStore {
        do {
            return try db.open(readOnly: readOnly)
        } catch {
            throw Self.exit(error)
        }
    }

    /// A store failure as the command's one-line error and exit code.
    static func exit(_ error: HistoryStoreFailure) -> Error {
        switch error.kind {
        case .incompatible: failure(error.description, ExitStatus.dataError)
        case .missing: failure(error.description, ExitStatus.noInput)
        case .locked: failure(error.description, ExitStatus.temporaryFailure)
        case .cannotWrite: failure(error.description, ExitStatus.cannotCreate)
        case .unreachable, .unsupported: failure(error.description, ExitStatus.unavailable)
        case .denied: failure(error.description, ExitStatus.noPermission)
        }
    }
}

/// Which series `show` and `check` look at.
struct HistorySelection: ParsableArguments {
    @Option(help: ArgumentHelp("Cases whose id matches this pattern (`*` wildcards).", valueName: "pattern"))
    var `case`: String = "*"

    @Option(help: ArgumentHelp("Only machines whose fingerprint id starts with this.", valueName: "id"))
    var machine: String?

    @Option(help: ArgumentHelp("Only runs started at or after this ISO 8601 date or time (2026-12-01).", valueName: "date"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "time: each run's estimate (ns); memcpy: each run's time relative to memcpy at the same n, within rounds "
                + "(the machine's speed cancels, so the series is quieter).", valueName: "basis"))
    var basis: HistoryBasis = .time

    @Option(help: "Permutations of the change-point test (its smallest p-value is 1/(permutations+1)).")
    var permutations: Int = 199

    @Option(help: "The p-value below which a change point is kept.")
    var significance: Double = 0.05

    /// The detector's settings these options describe.
    var detector: EDivisive.Options { EDivisive.Options(significance: significance, permutations: permutations) }

    /// The selected series of `store`, opened for reading.
    func series(in store: HistoryStoreOption) throws -> [CaseHistory] {
        let history = try store.open(readOnly: true)
        do {
            return try history.series(casePattern: `case`, machine: machine, since: since, basis: basis)
        } catch {
            throw HistoryStoreOption.exit(error)
        }
    }

    func validate() throws {
        guard (19...100_000).contains(permutations) else { throw ValidationError("--permutations must be in 19...100000") }
        guard significance > 0 && significance < 1 else { throw ValidationError("--significance must be in (0, 1)") }
    }
}
