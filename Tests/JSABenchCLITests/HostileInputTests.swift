import Foundation
import Testing

/// The device number of the null device, major 1 minor 3 (glibc's makedev is a macro).
private let nullDeviceNumber = dev_t((1 << 8) | 3)

/// Hostile input met with one-line errors and their documented exit codes: one test per finding
/// of the "holds everywhere" probe, named after it.
@Suite(.serialized) struct HostileInputTests {
    /// A folder with one small sweep's results in it, made once for the tests that read results.
    static let fixture: (folder: String, results: String) = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-hostile-\(UUID())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: HostileInputTests.fixture.folder) }
        let results = folder + "/results.json"
        _ = try? JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "3",
            "--min-sample-ms", "0.2", "--no-python", "--no-report", "--quiet", "--out", results
        ])
        return (folder, results)
    }()

    /// Every command that writes a file, aimed at `path`: each must refuse with 73 and leave it be.
    static func writers(to path: String) -> [[String]] {
        [
            ["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "1", "--no-python", "--no-report", "--out", path],
            ["python", "--sizes", "1000", "--samples", "1", "--out", path],
            ["export", fixture.results, "--format", "csv", "-o", path],
            ["gate", "--calibrate", "--rounds", "2", "--sizes", "1000", "--kernels", "scalar", "--noise", path]
        ]
    }

    @Test func item1_outputToADeviceNodeIsRefusedAndTheNodeSurvives() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-device-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        var targets = ["/dev/null", "/dev/full", fifo, folder]
        if getuid() == 0 {  // a private null device: as root the old code replaced such nodes
            #expect(mknod(folder + "/null", S_IFCHR | 0o666, nullDeviceNumber) == 0)
            targets.append(folder + "/null")
        }
        for target in targets {
            for arguments in Self.writers(to: target) {
                let result = try JSABenchProcess.run(arguments)
                #expect(result.status == 73, "\(arguments): \(result.stderr)")
                #expect(
                    result.stderr.hasPrefix("jsa-bench: error: ") && result.stderr.filter { $0 == "\n" }.count == 1,
                    "\(arguments): \(result.stderr)")
            }
        }
        for target in targets {
            var status = stat()
            #expect(lstat(target, &status) == 0 && status.st_mode & S_IFMT != S_IFREG, "\(target) became a regular file")
        }
        let report = try JSABenchProcess.run(["report", Self.fixture.results, "--output", "/dev"])
        #expect(report.status == 73)
        #expect(
            report.stderr == "jsa-bench: error: the report: cannot write /dev: /dev is under /dev; jsa-bench writes regular files only\n")
        #expect(!FileManager.default.fileExists(atPath: "/dev/REPORT.md"))
    }

    @Test func item6_aFailedWriteToStandardOutputIsAnError() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        for arguments in [
            ["export", Self.fixture.results, "--format", "csv"], ["export", Self.fixture.results, "--format", "gbench"],
            ["compare", Self.fixture.results, Self.fixture.results], ["env"], ["env", "--json"]
        ] {
            let result = try JSABenchProcess.run(arguments, standardOutput: full)
            #expect(result.status == 74, "\(arguments)")
            #expect(result.stderr == "jsa-bench: error: error writing standard output: No space left on device\n", "\(arguments)")
        }
    }

    @Test func item6_aSweepWhoseSummaryCannotBePrintedKeepsItsResults() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-full-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let result = try JSABenchProcess.run(
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2", "--no-python",
                "--quiet", "--out", folder + "/results.json"
            ], standardOutput: full)
        #expect(result.status == 74)
        #expect(result.stderr.contains("(the results are in \(folder)/results.json and \(folder)/REPORT.md)"))
        #expect(FileManager.default.fileExists(atPath: folder + "/results.json"))
        #expect(FileManager.default.fileExists(atPath: folder + "/REPORT.md"))
    }

    /// Runs jsa-bench and checks it gave exactly one error line and `status`; returns stderr.
    @discardableResult
    func refuses(
        _ arguments: [String], _ status: Int32, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let result = try JSABenchProcess.run(arguments, environment: environment)
        #expect(result.status == status, "\(arguments.map { $0.prefix(40) }): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.hasPrefix("jsa-bench: error: ") && result.stderr.filter { $0 == "\n" }.count == 1,
            "\(arguments.map { $0.prefix(40) }): \(result.stderr.prefix(300))", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// A results file from the fixture with `edit` applied to its JSON.
    func edited(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixture.results))) as! [String: Any]
        edit(&object)
        let path = Self.fixture.folder + "/" + name
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    func editCase(_ object: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var cases = object["cases"] as! [[String: Any]]
        edit(&cases[0])
        object["cases"] = cases
    }

    @Test func item3_anEventNameLongerThanPAPIHoldsIsAUsageError() throws {
        let stderr = try refuses(["sweep", "--sizes", "1000", "--events", String(repeating: "A", count: 8192), "--no-python"], 64)
        #expect(stderr.count < 400)
    }

    @Test func item4_numbersThatWouldTrapAreUsageErrors() throws {
        try refuses(["sweep", "--sizes", "9223372036854775807"], 64)
        try refuses(["sweep", "--sizes", "2^60"], 64)
        let memory = try refuses(["sweep", "--sizes", "5e9"], 64)
        #expect(memory.contains("needs 260.77 GiB in a measuring process (five buffers"))  // 56 B × 5e9 and five pages
        try refuses(["sweep", "--sizes", "1e12"], 64)
        try refuses(["sweep", "--samples", "9223372036854775807"], 64)
        try refuses(["gate", "--baseline-exec", "/bin/true", "--rounds", "99999999999"], 64)
        try refuses(["verify", "--random-cases", "-1"], 64)
    }

    /// A case whose derived fields are missing or null is analysed anew on reading; every command
    /// reads it alike.
    @Test func item4_aCaseWithoutStatisticsIsReportedFromItsSamples() throws {
        let path = try edited("no-stats.json") { object in
            object["analysis"] = nil
            editCase(&object) { c in
                c["stats"] = NSNull()
                c["estimates"] = nil
            }
        }
        let folder = Self.fixture.folder + "/no-stats-report"
        let report = try JSABenchProcess.run(["report", path, "--output", folder])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/REPORT.md"))
        #expect(try JSABenchProcess.run(["export", path, "--format", "csv"]).status == 0)
        #expect(try JSABenchProcess.run(["compare", path, Self.fixture.results]).status == 0)
    }

    @Test func item5_theGateRefusesWhatItCannotJudge() throws {
        let capped = try refuses(
            [
                "gate", "--baseline-exec", JSABenchProcess.executable.path, "--kernels", "avx512",
                "--sizes", "1000", "--rounds", "2"
            ], 69, environment: ["JSA_DISABLE_CPU_FEATURES": "avx512f"])
        #expect(capped.contains("avx512"))
        let zeros = try edited("zeros.json") { object in
            editCase(&object) { c in c["samples_ns"] = (c["samples_ns"] as! [Double]).map { _ in 0.0 } }
        }
        try refuses(["gate", "--baseline", zeros, Self.fixture.results], 65)
        let noise = Self.fixture.folder + "/noise.json"
        try "{ not a noise floor".write(toFile: noise, atomically: true, encoding: .utf8)
        try refuses(["gate", "--baseline-exec", "/bin/true", "--sizes", "1000", "--kernels", "scalar", "--noise", noise], 65)
    }

    @Test func item7_aSampleTimeOfYearsIsRefusedAtOnce() throws {
        let started = Date()
        try refuses(["sweep", "--sizes", "1000", "--min-sample-ms", "1e300", "--no-python"], 64)
        try refuses(["sweep", "--sizes", "1000", "--min-sample-ms", "1e9", "--no-python"], 64)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// A worker that never answers is given up after the time-out, terminated, and named; the gate
    /// exits 71, a measuring process that could not run.
    @Test func item7_aWorkerThatNeverAnswersTimesOutAndIsEnded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-stuck-worker-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stuck = try StuckChild(named: "silent-worker", in: folder)
        let started = Date()
        let result = try JSABenchProcess.run(
            [
                "gate", "--baseline-exec", stuck.path, "--sizes", "1000", "--kernels", "scalar",
                "--rounds", "2"
            ], environment: ["JSA_BENCH_WORKER_TIMEOUT": "2"])
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.status == 71, "\(result.stderr)")
        // The base of 2 s, and for the hello 12 cases calibrated in 5 samples of twice 1 ms each.
        #expect(result.stderr.contains("did not answer within 2.12 s; it was terminated"), "\(result.stderr)")
        #expect(try stuck.isGone())
    }

    /// SIGTERM stops a sweep like Ctrl-C: the results so far are written, the helper is ended,
    /// the exit status is 143, and nothing is left in the temporary folder.
    @Test func item8_SIGTERMKeepsTheResultsAndLeavesNothingBehind() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-sigterm-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stuck = try StuckChild(
            named: "stuck-python", in: folder,
            prelude: "echo '{\"protocol\":\"jsa-bench/python-helper/v1\"}'\nread request")
        // A temporary folder of its own: other tests' runs make and remove theirs meanwhile.
        let temporary = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("results.json").path
        let started = Date()
        let result = try JSABenchProcess.run(
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2", "--processes", "1",
                "--out", out, "--no-report"
            ],
            environment: ["JSA_BENCH_PYTHON": stuck.path, "TMPDIR": temporary.path], interruptWhen: { _ in stuck.isStuck },
            signal: SIGTERM)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.status == 143, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["complete"] as? Bool == false)
        #expect(try stuck.isGone())
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func item9_wrongCodesAndMessagesAreRight() throws {
        try refuses(["python", "--sizes", "1000"], 78, environment: ["JSA_DISABLE_CPU_FEATURES": "sse9"])
        for command in [
            ["sweep", "--sizes", "1000", "--no-python", "--out", "/tmp/unused.json"],
            ["gate", "--baseline-exec", JSABenchProcess.executable.path, "--sizes", "200"]
        ] {
            let stderr = try refuses(command, 78, environment: ["JSA_BENCH_WORKER_TIMEOUT": "soon"])
            #expect(stderr.contains("JSA_BENCH_WORKER_TIMEOUT='soon': not a positive number of seconds"))
        }
        try refuses(["gate", "--baseline-exec", NSTemporaryDirectory(), "--sizes", "1000"], 66)
        #expect(try JSABenchProcess.run(["compare", Self.fixture.results, Self.fixture.results, "--config", "/dev/null"]).status == 0)
        try refuses(["sweep", "--kernels", "", "--sizes", "1000"], 64)
        for (name, edit) in [
            ("negative.json", { (c: inout [String: Any]) in c["samples_ns"] = (c["samples_ns"] as! [Double]).map { -$0 } }),
            ("n0.json", { (c: inout [String: Any]) in c["n"] = 0 }),
            ("period.json", { (c: inout [String: Any]) in c["period"] = 100_000 })
        ] as [(String, (inout [String: Any]) -> Void)] {
            let path = try edited(name) { object in editCase(&object, edit) }
            let stderr = try refuses(["report", path, "--output", Self.fixture.folder + "/bad"], 65)
            #expect(stderr.contains("cases[0]"), "\(name): \(stderr)")
        }
        let duplicate = try edited("duplicate.json") { object in
            var cases = object["cases"] as! [[String: Any]]
            cases.append(cases[0])
            object["cases"] = cases
        }
        #expect(try refuses(["export", duplicate, "--format", "csv"], 65).contains("duplicate id"))
        let formula = try edited("formula.json") { object in editCase(&object) { c in c["id"] = "=HYPERLINK(\"x\")" } }
        let csv = try JSABenchProcess.run(["export", formula, "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.contains("\n\"'=HYPERLINK(\"\"x\"\")\","), "\(csv.stdout.prefix(400))")
    }
}
