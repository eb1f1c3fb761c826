import Foundation
import Testing

/// `jsa-bench history` end to end: runs made from one real sweep (other start times, commits and
/// estimates), added, shown and checked through the command line.
@Suite(.serialized) struct HistoryCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-history-\(UUID())")

    /// A tiny real sweep, and `count` copies of it an hour apart whose every estimate is scaled
    /// by `factor(k)`; returns their paths.
    func runs(_ count: Int, factor: (Int) -> Double) throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let template = folder.appendingPathComponent("template.json").path
        if !FileManager.default.fileExists(atPath: template) {
            let sweep = try JSABenchProcess.run([
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "3", "--no-python", "--no-report", "--quiet",
                "--out", template
            ])
            #expect(sweep.status == 0, "\(sweep.stderr)")
        }
        let base = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: template))) as! [String: Any]
        return try (0..<count).map { k in
            var document = base
            var run = document["run"] as! [String: Any]
            run["started_at"] = String(format: "2026-12-01T%02d:00:00Z", k)
            run["ended_at"] = run["started_at"]
            run["git_commit"] = String(format: "c%03d", k)
            document["run"] = run
            document["cases"] = (document["cases"] as! [[String: Any]]).map { c in
                var c = c
                if var estimates = c["estimates"] as? [String: Any] {
                    for name in ["median", "blocked"] {
                        guard var e = estimates[name] as? [String: Double] else { continue }
                        for field in ["value", "ci95_low", "ci95_high"] { e[field] = e[field]! * factor(k) }
                        estimates[name] = e
                    }
                    c["estimates"] = estimates
                }
                return c
            }
            let path = folder.appendingPathComponent("run-\(k).json").path
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// The stores the commands are run against: a SQLite file always, a PostgreSQL database where
    /// scripts/test-postgres started a server (in a build with the PostgreSQL trait).
    enum Store: String, CaseIterable, Sendable {
        case sqlite, postgres

        static var available: [Store] { administrator == nil ? [.sqlite] : [.sqlite, .postgres] }

        /// The server's administrator URL (`JSA_TEST_POSTGRES_URL`, with ?sslmode=…).
        static let administrator: String? = {
            #if PostgreSQL
                ProcessInfo.processInfo.environment["JSA_TEST_POSTGRES_URL"]
            #else
                nil
            #endif
        }()

        /// A new store's `--db` (a file in `folder`, or a new database made with psql) and how to remove it.
        func make(in folder: URL) throws -> (db: String, cleanUp: () -> Void) {
            switch self {
            case .sqlite:
                return (folder.appendingPathComponent("h.sqlite").path, {})
            case .postgres:
                let admin = Self.administrator!
                let name = "cli_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
                try Self.psql(admin, "CREATE DATABASE \(name)")
                let db = admin.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
                return (db, { try? Self.psql(admin, "DROP DATABASE \(name) WITH (FORCE)") })
            }
        }

        static func psql(_ url: String, _ sql: String) throws {
            let psql = Process()
            psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            psql.arguments = ["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
            try psql.run()
            psql.waitUntilExit()
            #expect(psql.terminationStatus == 0, "psql \(sql)")
        }
    }

    @Test(arguments: Store.available) func addShowAndCheckFindTheStepAndItsCommits(_ store: Store) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (db, cleanUp) = try store.make(in: folder)
        defer { cleanUp() }
        // 0.5% alternation, then 30% slower from run 8 on.
        let files = try runs(16) { k in (k < 8 ? 1.0 : 1.3) * (k % 2 == 0 ? 1.005 : 0.995) }
        let add = try JSABenchProcess.run(["history", "add", "--db", db] + files)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.split(separator: "\n").count == 16 && add.stdout.contains("run-0.json: added ("))
        let again = try JSABenchProcess.run(["history", "add", "--db", db, files[3]])
        #expect(again.stdout == "\(files[3]): already stored\n")

        let charts = folder.appendingPathComponent("charts").path
        let show = try JSABenchProcess.run([
            "history", "show", "--db", db, "--case", "native/into/scalar/n=1000/*", "--charts", charts
        ])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("native/into/scalar/n=1000/p=30 on ") && show.stdout.contains(": 16 runs"))
        let stepRow = try #require(show.stdout.split(separator: "\n").first { $0.contains("p = ") })
        #expect(stepRow.contains("c008") && stepRow.contains("+30."))
        let written = try FileManager.default.contentsOfDirectory(atPath: charts)
        #expect(
            written.contains("SUMMARY.md") && written.contains { $0.hasPrefix("native-into-scalar-n=1000-p=30.") && $0.hasSuffix(".svg") })
        let summary = charts + "/SUMMARY.md"
        let onAFile = try JSABenchProcess.run(["history", "show", "--db", db, "--charts", summary])
        #expect(onAFile.status == 73)
        #expect(onAFile.stderr == "jsa-bench: error: --charts: cannot write \(summary): it is a regular file, not a folder\n")

        let json = try JSABenchProcess.run(["history", "show", "--db", db, "--case", "native/into/scalar/n=1000/*", "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["schema"] as? String == "jsa-bench/history-series/v1")
        let entry = try #require((object["series"] as? [[String: Any]])?.first)
        #expect(((entry["history"] as? [String: Any])?["points"] as? [Any])?.count == 16)
        let change = try #require((entry["changes"] as? [[String: Any]])?.first)
        #expect(change["index"] as? Int == 8 && change["commit_after"] as? String == "c008")

        // Every estimate of a run moved together, as when the host runs slower: the within-run
        // ratio to memcpy did not move, and its series has no step.
        let ratios = try JSABenchProcess.run(["history", "show", "--db", db, "--case", "native/into/scalar/n=1000/*", "--basis", "memcpy"])
        #expect(ratios.status == 0, "\(ratios.stderr)")
        #expect(ratios.stdout.contains("× memcpy") && ratios.stdout.contains(": 16 runs") && !ratios.stdout.contains("p = "))

        let check = try JSABenchProcess.run(["history", "check", "--db", db, "--case", "native/into/scalar/n=1000/*"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("c007..c008") && check.stdout.contains("regression"))
        #expect(check.stdout.hasSuffix("history check: 1 series checked, 1 regressed, 0 too short\n"))
        let looser = try JSABenchProcess.run(["history", "check", "--db", db, "--case", "native/into/scalar/n=1000/*", "--threshold", "40%"]
        )
        #expect(looser.status == 0)
    }

    @Test func badInputIsOneLineAndStoresNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("h.sqlite").path
        let files = try runs(3) { _ in 1 }
        let bad = folder.appendingPathComponent("bad.json").path
        try Data("{\"schema\": 3".utf8).write(to: URL(fileURLWithPath: bad))
        let mixed = try JSABenchProcess.run(["history", "add", "--db", db, files[0], bad, files[1]])
        #expect(mixed.status == 65)
        #expect(mixed.stderr.hasSuffix("; nothing was added\n") && mixed.stderr.split(separator: "\n").count == 1)
        let missing = try JSABenchProcess.run(["history", "add", "--db", db, files[0], "/nonexistent/r.json"])
        #expect(missing.status == 66)
        let tooShort = try JSABenchProcess.run(["history", "check", "--db", db])
        #expect(tooShort.status == 3)  // the store exists (created by add) but holds no run
        #expect(tooShort.stdout.contains("0 series checked"))

        let noStore = try JSABenchProcess.run(["history", "show", "--db", folder.appendingPathComponent("none.sqlite").path])
        #expect(noStore.status == 66)
        #expect(noStore.stderr.contains("no history store"))
        let notAStore = try JSABenchProcess.run(["history", "add", "--db", bad, files[0]])
        #expect(notAStore.status == 65)
        #expect(notAStore.stderr.contains("not a history store"))
        let unwritable = try JSABenchProcess.run(["history", "add", "--db", "/proc/history.sqlite", files[0]])
        #expect(unwritable.status == 73)
    }

    @Test func aServerThatCannotBeUsedIsOneLineAndItsExitCode() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try runs(1) { _ in 1 }
        let malformed = try JSABenchProcess.run(["history", "show", "--db", "postgres://h/d?sslmode=verify-full"])
        #expect(malformed.status == 64 && malformed.stderr.contains("sslmode verify-full is not supported"))
        // The binary under test is built with the trait where scripts/test-postgres runs it; the
        // release build beside it (scripts/test builds it without) shows what a default build says.
        for binary in [nil, CallgrindBuild.executable] {
            if let binary, !FileManager.default.isExecutableFile(atPath: binary) { continue }
            let env = try JSABenchProcess.run(["env"], executable: binary)
            let built = !env.stdout.contains("postgres not in this build")
            #expect(env.stdout.contains("History:  sqlite available; postgres "))
            let nowhere = try JSABenchProcess.run(
                ["history", "add", "--db", "postgres://u:p@127.0.0.1:1/d?sslmode=disable", files[0]], executable: binary)
            let expected =
                built ? "cannot reach the server" : "built without PostgreSQL support; build it with `swift build -c release --traits"
            #expect(nowhere.status == 69 && nowhere.stderr.contains(expected), "\(nowhere.stderr)")
            #expect(nowhere.stderr.split(separator: "\n").count == 1 && !nowhere.stderr.contains(":p@"))
        }
        if let admin = Store.administrator {
            let denied = try JSABenchProcess.run([
                "history", "add", "--db", admin.replacingOccurrences(of: "postgres://postgres:", with: "postgres://postgres:x"), files[0]
            ])
            #expect(denied.status == 77 && denied.stderr.contains("refused the login"), "\(denied.stderr)")
        }
    }
}
