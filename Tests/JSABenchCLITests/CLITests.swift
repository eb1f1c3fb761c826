import Foundation
import Measurement
import Testing

/// Runs the built `jsa-bench` executable (next to the test bundle) as a user would.
struct JSABenchProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("jsa-bench")
    }()

    static func run(_ arguments: [String], environment extra: [String: String] = [:],
                    interruptWhen: ((Process) -> Bool)? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "JSA_DISABLE_CPU_FEATURES")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let interruptWhen {
            while process.isRunning && !interruptWhen(process) {
                usleep(20_000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGINT)
            }
        }
        let stdout = PipeReader(out.fileHandleForReading).readToEnd()
        let stderr = PipeReader(err.fileHandleForReading).readToEnd()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct VerifyCommandTests {
    @Test func verifyPassesAndPrintsTheTable() throws {
        let result = try JSABenchProcess.run(["verify", "--random-cases", "50"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("length mod 16 (all remainders)"))
        #expect(result.stdout.contains("batch descending"))
        #expect(result.stdout.contains("PASS:"))
    }

    @Test func capMakesAutoFallBackAndExplicitAVX512Fail() throws {
        let capped = ["JSA_DISABLE_CPU_FEATURES": "avx512f"]
        let table = try JSABenchProcess.run(["verify", "--random-cases", "5"], environment: capped)
        #expect(table.status == 0)
        #expect(table.stdout.contains("capped by JSA_DISABLE_CPU_FEATURES: avx512f"))
        #expect(!table.stdout.contains("auto → avx512"))
        #expect(table.stdout.contains("n/a avx512: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"))

        let required = try JSABenchProcess.run(["verify", "--random-cases", "5", "--require", "avx512"], environment: capped)
        #expect(required.status == 69)
        #expect(required.stderr.contains(
            "jsa-bench: error: kernel 'avx512' is not supported here: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"))
    }

    @Test func malformedCapIsAConfigurationError() throws {
        let result = try JSABenchProcess.run(["verify"], environment: ["JSA_DISABLE_CPU_FEATURES": "avx9"])
        #expect(result.status == 78)
        #expect(result.stderr == "jsa-bench: error: JSA_DISABLE_CPU_FEATURES: unknown CPU feature 'avx9' (known: avx2, avx512f)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [["verify", "--require", "avx9"], ["verify", "--random-cases", "-1"], ["verify", "--bogus"], ["nosuch"]])
    func usageErrorsExit64(arguments: [String]) throws {
        let result = try JSABenchProcess.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

@Suite(.serialized) struct SweepCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-sweep-\(UUID())")

    func outputPath(_ name: String = "results.json") throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    /// The issue's end-to-end run: valid JSON with every required field and verified cases.
    @Test func smallSweepWritesVerifiedResults() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000,5000", "--samples", "5", "--min-sample-ms", "0.2", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("n = 1000 (L1"))
        #expect(result.stdout.contains("Goals"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["schema"] as? String == "jsa-bench/results/v1")
        #expect(json["complete"] as? Bool == true)
        let cases = json["cases"] as! [[String: Any]]
        #expect(!cases.isEmpty && cases.allSatisfy { $0["verified"] as? Bool == true })
        #expect(cases.allSatisfy { ($0["samples_ns"] as? [Double])?.count == 5 })
        #expect(Set(cases.compactMap { $0["n"] as? Int }) == [1000, 5000])
    }

    @Test(arguments: [
        (["--sizes", "0"], "invalid size '0': sizes must be positive"),
        (["--sizes", "1e3,abc"], "invalid size 'abc'"),
        (["--sizes", "100", "--period", "1000"], "period 1000 does not fit any size (largest is 100)"),
        (["--kernels", "avx9"], "invalid kernel 'avx9'"),
        (["--preset", "huge"], "The value 'huge' is invalid for '--preset <preset>'"),
        (["--samples", "0"], "--samples must be at least 1"),
        (["--min-sample-ms", "0"], "--min-sample-ms must be positive"),
        (["--bogus"], "Unknown option '--bogus'"),
    ])
    func usageErrorsExit64BeforeMeasuring(arguments: [String], message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let result = try JSABenchProcess.run(["sweep"] + arguments + ["--out", out])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func unwritableOutputExits73() throws {
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--out", "/nonexistent-folder/r.json"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot write /nonexistent-folder/r.json"))
        #expect(result.stdout.isEmpty)
    }

    @Test func explicitlyNamedDisabledKernelExits69() throws {
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "avx512", "--out", "/tmp/unused.json"],
                                             environment: ["JSA_DISABLE_CPU_FEATURES": "avx512f"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("kernel 'avx512' is not supported here: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"))
    }

    @Test func malformedCapExits78() throws {
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000"], environment: ["JSA_DISABLE_CPU_FEATURES": "sse9"])
        #expect(result.status == 78)
    }

    @Test func ctrlCKeepsTheMeasuredSizes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        // The first size checkpoints the file quickly; the second takes long enough to interrupt.
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000,2000000", "--samples", "30", "--out", out, "--quiet"],
            interruptWhen: { _ in FileManager.default.fileExists(atPath: out) })
        #expect(result.status == 130, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["complete"] as? Bool == false)
        let sizes = Set((json["cases"] as! [[String: Any]]).compactMap { $0["n"] as? Int })
        #expect(sizes.contains(1000))
        #expect(result.stdout.contains("INCOMPLETE"))
    }

    /// Ctrl-C while the Python helper times a ladder: jsa-bench stops waiting, terminates the helper
    /// (which ignores SIGINT), and keeps the size's native cases. The stand-in helper greets, takes
    /// the request, and then never answers (within the minute this test would otherwise wait).
    @Test func ctrlCDuringThePythonLadderStopsTheHelper() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let helper = folder.appendingPathComponent("slow-helper").path
        let asked = folder.appendingPathComponent("asked").path
        let pidFile = folder.appendingPathComponent("helper.pid").path
        try """
            #!/bin/sh
            echo $$ > \(pidFile)
            echo '{"protocol":"jsa-bench/python-helper/v1"}'
            read request
            touch \(asked)
            exec sleep 60
            """.write(toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        let started = Date()
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2",
             "--no-report", "--out", out],
            environment: ["JSA_BENCH_PYTHON": helper],
            interruptWhen: { _ in FileManager.default.fileExists(atPath: asked) })
        #expect(Date().timeIntervalSince(started) < 30, "jsa-bench waited for the helper's answer")
        #expect(result.status == 130, "\(result.stderr)")
        #expect(!result.stderr.contains("python_failed") && !result.stderr.contains("python ladder at"), "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["complete"] as? Bool == false)
        #expect((json["cases"] as! [[String: Any]]).contains { $0["id"] as? String == "native/into/scalar/n=1000/p=30" })
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the helper \(pid) outlived jsa-bench")
    }
}

@Suite(.serialized) struct CounterCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-counters-\(UUID())")

    @Test func envPrintsPAPIAndItsComponents() throws {
        let text = try JSABenchProcess.run(["env"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("PAPI:     7."))
        #expect(text.stdout.contains("component 0 perf_event:"))
        let json = try JSABenchProcess.run(["env", "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let papi = object["papi"] as! [String: Any]
        #expect(papi["version"] as? String != nil)
        #expect((papi["components"] as! [[String: Any]]).allSatisfy { $0["enabled"] is Bool && $0["name"] is String })
        #expect((object["kernels"] as! [String: String])["scalar"] == "available")
    }

    /// On a machine without a PMU the sweep completes, and every counter carries PAPI's reason.
    @Test func sweepWithCountersRecordsAvailabilityAndCompletes() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("c.json").path
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--samples", "3", "--kernels", "scalar",
                                              "--counters", "core,vector", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Counters: "))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let events = (json["counters"] as! [String: Any])["events"] as! [[String: Any]]
        #expect(events.map { $0["name"] as! String }.prefix(3) == ["PAPI_TOT_CYC", "PAPI_REF_CYC", "PAPI_TOT_INS"])
        #expect(events.count == 7)
        #expect(events.allSatisfy { ($0["available"] as! Bool) || !($0["unavailable_reason"] as? String ?? "").isEmpty })
        #expect(json["complete"] as? Bool == true)
    }

    @Test func unknownEventsAndGroupsAreUsageErrors() throws {
        let event = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--events", "PAPI_TOT_CYC,NO_SUCH_EVENT_XYZ", "--out", "/tmp/unused.json"])
        #expect(event.status == 64)
        #expect(event.stderr.contains("unknown event 'NO_SUCH_EVENT_XYZ'") && event.stderr.contains("jsa-bench env"))
        let group = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--counters", "memory", "--out", "/tmp/unused.json"])
        #expect(group.status == 64)
        #expect(group.stderr.contains("unknown group 'memory'"))
    }
}

/// The DWARF-4 release build that scripts/callgrind (and scripts/test) make for valgrind.
enum CallgrindBuild {
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build-callgrind/release/jsa-bench").path

    static var skipReason: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        if !path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/valgrind") }) {
            return "valgrind is not installed"
        }
        if !FileManager.default.isExecutableFile(atPath: executable) {
            return "\(executable) is missing: run scripts/callgrind --build-only"
        }
        return nil
    }
}

@Suite(.serialized, .enabled(if: CallgrindBuild.skipReason == nil, "skipped: \(CallgrindBuild.skipReason ?? "")"))
struct CallgrindModeTests {
    func instructionCounts() throws -> [String: [String: Any]] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CallgrindBuild.executable)
        process.arguments = ["sweep", "--sizes", "1000,4096", "--kernels", "scalar,avx2,avx512,auto", "--samples", "2",
                             "--min-sample-ms", "0.1", "--counters", "callgrind", "--out", out, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        var counts: [String: [String: Any]] = [:]
        for c in json["cases"] as! [[String: Any]] {
            if let instructions = c["instructions"] as? [String: Any] { counts[c["id"] as! String] = instructions }
        }
        return counts
    }

    @Test func countsAreDeterministicAndTellTheKernelsApart() throws {
        let first = try instructionCounts()
        let second = try instructionCounts()
        for id in ["native/into/scalar/n=1000/p=30", "native/into/avx2/n=1000/p=30", "native/alloc/avx2/n=4096/p=30"] {
            let a = try #require(first[id]?["per_call"] as? Double, "\(id) not counted")
            #expect(a == second[id]?["per_call"] as? Double, "\(id) differs between runs")
        }
        let scalar = try #require(first["native/into/scalar/n=4096/p=30"]?["per_element"] as? Double)
        let avx2 = try #require(first["native/into/avx2/n=4096/p=30"]?["per_element"] as? Double)
        #expect(scalar > 3 * avx2, "scalar \(scalar) vs avx2 \(avx2) instructions per element")
        let avx512 = try #require(first["native/into/avx512/n=1000/p=30"])
        #expect(avx512["per_call"] == nil)
        #expect((avx512["unavailable_reason"] as? String)?.contains("cannot execute AVX-512") == true)
        #expect(first["native/into/auto/n=1000/p=30"]?["resolved_kernel"] as? String == "avx2")
    }
}

@Suite(.serialized) struct PythonCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-python-\(UUID())")

    @Test func pythonLadderWritesItsCasesAndReport() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("py.json").path
        let result = try JSABenchProcess.run(["python", "--sizes", "1000,2000", "--samples", "3", "--min-sample-ms", "0.2",
                                              "--out", out, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("overhead of jsa_native over the kernel called from C in the same process"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let cases = json["cases"] as! [[String: Any]]
        let families = Set(cases.map { $0["family"] as! String })
        #expect(families == ["native", "python"])
        #expect(cases.contains { $0["id"] as? String == "python/jsa_out/n=1000/p=30" })
        let python = json["python"] as! [String: Any]
        #expect(python["executable"] as? String == "/usr/bin/python3")
        let sizes = python["sizes"] as! [[String: Any]]
        #expect(sizes.map { $0["n"] as! Int } == [1000, 2000])
        #expect(sizes.allSatisfy { $0["call_and_parsing_ns"] is Double && $0["speedup_over_numpy"] is Double })
    }

    @Test func sweepRunsTheLadderUnlessTold() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("s.json").path
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
                                              "--min-sample-ms", "0.2", "--no-python", "--out", out, "--quiet"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["python"] == nil)
        #expect(!(json["cases"] as! [[String: Any]]).contains { $0["family"] as? String == "python" })
    }
}

/// Without its Python (the helper, libpython or NumPy), a run says why in one line and still
/// completes its native part.
@Suite(.serialized) struct PythonUnavailableTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-nopython-\(UUID())")

    @Test func theNativeRunCompletesWithTheReason() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("s.json").path
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
                                              "--min-sample-ms", "0.2", "--no-report", "--out", out],
                                             environment: ["JSA_BENCH_PYTHON": "/nonexistent/jsa-bench-python"])
        #expect(result.status == 0, "\(result.stderr)")
        let warning = result.stderr.split(separator: "\n").filter { $0.contains("no Python ladder") }
        #expect(warning.count == 1)
        #expect(warning.first?.contains("/nonexistent/jsa-bench-python is missing") == true)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect((json["python"] as? [String: Any])?["unavailable_reason"] is String)
        #expect((json["cases"] as! [[String: Any]]).contains { $0["id"] as? String == "native/into/scalar/n=1000/p=30" })
    }

    /// A helper that cannot start (the loader's exit 127, say) or speaks something else is named,
    /// with its own last words, and the native run still completes.
    @Test func aBrokenHelperIsReportedInOneLine() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(script: String, expected: String)] = [
            ("echo 'error while loading shared libraries: libpython3.11.so.1.0' >&2; exit 127",
             "the Python helper exited 127: error while loading shared libraries: libpython3.11.so.1.0"),
            ("echo hello", "the Python helper answered 'hello'"),
        ]
        for (k, c) in cases.enumerated() {
            let helper = folder.appendingPathComponent("helper\(k)").path
            try "#!/bin/sh\n\(c.script)\n".write(toFile: helper, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
            let out = folder.appendingPathComponent("s\(k).json").path
            let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
                                                  "--min-sample-ms", "0.2", "--no-report", "--out", out],
                                                 environment: ["JSA_BENCH_PYTHON": helper])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("no Python ladder: \(c.expected)"), "\(result.stderr)")
        }
    }

    /// jsa-bench itself does not need libpython to start: only jsa-bench-python links it.
    @Test func onlyTheHelperLinksLibpython() throws {
        func needed(_ binary: URL) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/readelf")
            process.arguments = ["-d", binary.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let text = String(decoding: PipeReader(out.fileHandleForReading).readToEnd(), as: UTF8.self)
            process.waitUntilExit()
            return text.split(separator: "\n").filter { $0.contains("(NEEDED)") }.joined(separator: "\n")
        }
        let main = try needed(JSABenchProcess.executable)
        #expect(main.contains("libc.so") && !main.contains("libpython"), "\(main)")
        let helper = try needed(JSABenchProcess.executable.deletingLastPathComponent().appendingPathComponent("jsa-bench-python"))
        #expect(helper.contains("libpython"), "\(helper)")
    }
}

@Suite(.serialized) struct ReportCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-report-\(UUID())")

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func sweepWritesItsReportAndReportRegeneratesIt() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results.json").path
        let sweep = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar,avx2", "--samples", "2",
                                             "--min-sample-ms", "0.2", "--no-python", "--out", out, "--quiet"])
        #expect(sweep.status == 0)
        let report = folder.appendingPathComponent("REPORT.md").path
        let first = try String(contentsOfFile: report, encoding: .utf8)
        #expect(first.contains("## Conclusions"))
        try FileManager.default.removeItem(atPath: report)
        let regenerated = try JSABenchProcess.run(["report", out, "--output", folder.path])
        #expect(regenerated.status == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == first)
        let csv = try JSABenchProcess.run(["export", out, "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.hasPrefix("id,family,variant"))
    }

    @Test func badInputNamesTheFileAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let missing = try JSABenchProcess.run(["report", "/nonexistent/results.json", "--output", output])
        #expect(missing.status == 66)
        #expect(missing.stderr == "jsa-bench: error: /nonexistent/results.json: no such file\n")
        let other = try write("other.json", "{\"schema\": \"jsa-bench/results/v0\", \"cases\": []}")
        let wrongSchema = try JSABenchProcess.run(["report", other, "--output", output])
        #expect(wrongSchema.status == 65)
        #expect(wrongSchema.stderr.contains("\(other): schema 'jsa-bench/results/v0', expected 'jsa-bench/results/v1'"))
        let truncated = try write("truncated.json", "{\"schema\": \"jsa-bench/results/v1\", \"cases\": [")
        let cut = try JSABenchProcess.run(["export", truncated, "--format", "gbench"])
        #expect(cut.status == 65)
        #expect(cut.stderr.contains("\(truncated): not a JSON object"))
        let edited = try write("edited.json", "{\"schema\": \"jsa-bench/results/v1\"}")
        let hand = try JSABenchProcess.run(["report", edited, "--output", output])
        #expect(hand.status == 65)
        #expect(hand.stderr.contains("\(edited): missing field"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

@Suite(.serialized) struct GateCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-gate-\(UUID())")

    /// A real (debug-build) sweep, rewritten as a release run with its samples transformed.
    func results(_ name: String, from source: [String: Any], transform: (Int, Double) -> Double) throws -> String {
        var object = source
        var run = object["run"] as! [String: Any]
        run["build_configuration"] = "release"
        object["run"] = run
        object["cases"] = (object["cases"] as! [[String: Any]]).map { c -> [String: Any] in
            var c = c
            c["samples_ns"] = (c["samples_ns"] as! [Double]).enumerated().map { transform($0, $1) }
            return c
        }
        let path = folder.appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func exitCodesFollowTheVerdicts() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let measured = folder.appendingPathComponent("measured.json").path
        let sweep = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "12",
                                             "--min-sample-ms", "0.2", "--no-python", "--no-report", "--out", measured, "--quiet"])
        #expect(sweep.status == 0)
        let source = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: measured))) as! [String: Any]
        let flat: (Int, Double) -> Double = { i, _ in 1000 * (1 + 0.002 * Double(i % 3)) }
        let base = try results("base.json", from: source, transform: flat)
        let same = try results("same.json", from: source, transform: flat)
        let slower = try results("slower.json", from: source, transform: { i, v in flat(i, v) * 1.10 })
        let noisy = try results("noisy.json", from: source, transform: { i, v in flat(i, v) * (i % 2 == 0 ? 0.6 : 1.5) })

        #expect(try JSABenchProcess.run(["gate", "--baseline", base, same]).status == 0)
        let regression = try JSABenchProcess.run(["gate", "--baseline", base, slower])
        #expect(regression.status == 1)
        #expect(regression.stdout.contains("slower") && regression.stdout.contains("Gate: regression (exit 1)."))
        let inconclusive = try JSABenchProcess.run(["gate", "--baseline", base, noisy])
        #expect(inconclusive.status == 3)
        #expect(inconclusive.stdout.contains("exceeds the ±5.0% threshold by"))
        #expect(try JSABenchProcess.run(["gate", "--baseline", base, slower, "--threshold-for", "*=20%"]).status == 0)

        let unfit = try JSABenchProcess.run(["gate", "--baseline", measured, same])
        #expect(unfit.status == 4)
        #expect(unfit.stderr.contains("the baseline is a debug build"))
        #expect(try JSABenchProcess.run(["gate", "--baseline", measured, measured, "--allow-mismatch"]).status != 4)

        let broken = folder.appendingPathComponent("broken.json").path
        try "{\"schema\": ".write(toFile: broken, atomically: true, encoding: .utf8)
        let malformed = try JSABenchProcess.run(["gate", "--baseline", broken, same])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains(broken))
        #expect(try JSABenchProcess.run(["gate", "--baseline", "/nonexistent.json", same]).status == 66)
        #expect(try JSABenchProcess.run(["gate", "--baseline", base, same, "--threshold", "lots"]).status == 64)
        let compare = try JSABenchProcess.run(["compare", base, slower, "--format", "markdown"])
        #expect(compare.status == 0 && compare.stdout.hasPrefix("| case |"))
    }
}

@Suite(.serialized) struct GateABTests {
    /// Way b with this build on both sides: never a regression verdict.
    @Test func sameBuildAgainstItselfIsNoRegression() throws {
        let noise = FileManager.default.temporaryDirectory.appendingPathComponent("noise-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: noise) }
        let result = try JSABenchProcess.run(["gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
                                              "--sizes", "200", "--kernels", "scalar", "--samples", "2", "--noise", noise,
                                              "--allow-mismatch"])
        #expect(result.status == 0 || result.status == 3, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("gate: "))
        let calibrate = try JSABenchProcess.run(["gate", "--calibrate", "--rounds", "2", "--sizes", "200", "--kernels", "scalar",
                                                 "--samples", "2", "--noise", noise, "--allow-mismatch"])
        #expect(calibrate.status == 0, "\(calibrate.stderr)")
        let floor = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: noise))) as! [String: Any]
        #expect(floor["schema"] as? String == "jsa-bench/noise/v1")
        #expect(!(floor["cases"] as! [String: Double]).isEmpty)
        let refused = try JSABenchProcess.run(["gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
                                               "--sizes", "200", "--kernels", "scalar", "--samples", "2", "--noise", noise,
                                               "--threshold", "0.0001%", "--allow-mismatch"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("is below its noise floor"))
    }

    /// Builds that cannot take part, or whose timings mean nothing, are unfit (exit 4).
    @Test func unfitBuildsAreRefused() throws {
        let debug = try JSABenchProcess.run(["gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2",
                                             "--sizes", "200", "--kernels", "scalar", "--samples", "1"])
        #expect(debug.status == 4)
        #expect(debug.stderr.contains("is a debug build"))
        let foreign = try JSABenchProcess.run(["gate", "--baseline-exec", "/bin/true", "--rounds", "2", "--sizes", "200"])
        #expect(foreign.status == 4)
        #expect(foreign.stderr.contains("/bin/true sampling-worker exited 0 without starting"))
        #expect(try JSABenchProcess.run(["gate", "--baseline-exec", "/bin/true", "--sizes", "0"]).status == 64)
    }

    @Test func modesAreExclusive() throws {
        #expect(try JSABenchProcess.run(["gate"]).status == 64)
        #expect(try JSABenchProcess.run(["gate", "--calibrate", "--baseline-exec", "/bin/true"]).status == 64)
        #expect(try JSABenchProcess.run(["gate", "--baseline", "a.json"]).status == 64)
    }
}
