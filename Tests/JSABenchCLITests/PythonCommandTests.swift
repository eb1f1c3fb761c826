import Foundation
import Measurement
import SystemIO
import Testing

@Suite(.serialized) struct PythonCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-python-\(UUID())")

    @Test func pythonLadderWritesItsCasesAndReport() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("py.json").path
        let result = try JSABenchProcess.run([
            "python", "--sizes", "1000,2000", "--samples", "3", "--min-sample-ms", "0.2",
            "--out", out, "--quiet"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("jsa_native over the kernel called from C in the same process"))
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

    /// The ladder's rounds are spread over a fresh helper per pass, as the native rounds are over
    /// measuring processes, and its intervals are over those processes.
    @Test func theLadderIsSpreadOverHelperProcesses() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("spread.json").path
        let result = try JSABenchProcess.run([
            "python", "--sizes", "1000", "--samples", "5", "--processes", "2", "--min-sample-ms", "0.2", "--out", out, "--quiet"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let rungs = (json["cases"] as! [[String: Any]]).filter { $0["family"] as? String == "python" }
        #expect(rungs.count >= 10)
        for rung in rungs {
            #expect(rung["sample_rounds"] as? [Int] == [0, 1, 2, 3, 4], "\(rung["id"]!)")
            #expect(rung["sample_processes"] as? [Int] == [0, 0, 0, 1, 1], "\(rung["id"]!)")
            #expect((rung["estimates"] as? [String: Any])?["processes"] as? Int == 2, "\(rung["id"]!)")
        }
    }

    /// In a sweep, each measuring process's pass starts two Python helpers (the presets'
    /// `ladderHelpersPerPass`): the ladder's rounds are spread over twice as many processes as the
    /// native ones, and its intervals are over those helpers.
    @Test func aSweepSpreadsTheLadderOverTwoHelpersPerMeasuringProcess() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("sweep.json").path
        let result = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "8", "--processes", "2", "--min-sample-ms", "0.2",
            "--no-report", "--out", out, "--quiet"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let cases =
            (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any])["cases"]
            as! [[String: Any]]
        let native = try #require(cases.first { $0["id"] as? String == "native/into/scalar/n=1000/p=30" })
        #expect(native["sample_processes"] as? [Int] == [0, 0, 0, 0, 1, 1, 1, 1])
        let rungs = cases.filter { $0["family"] as? String == "python" }
        #expect(rungs.count >= 10)
        for rung in rungs {
            #expect(rung["sample_rounds"] as? [Int] == Array(0..<8), "\(rung["id"]!)")
            #expect(rung["sample_processes"] as? [Int] == [0, 0, 1, 1, 2, 2, 3, 3], "\(rung["id"]!)")
            #expect((rung["estimates"] as? [String: Any])?["processes"] as? Int == 4, "\(rung["id"]!)")
        }
    }

    /// The ladder takes a run level as a sweep does: each rung gets a re-run interval around its
    /// headline estimate, at least as wide; a missing file exits 66 before anything is measured.
    @Test func theLadderTakesARunLevel() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let measured = folder.appendingPathComponent("levels").path
        let reproduce = try JSABenchProcess.run([
            "reproduce", "--runs", "2", "--out", measured, "--", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
            "--processes", "1", "--min-sample-ms", "0.2"
        ])
        #expect(reproduce.status == 0, "\(reproduce.stderr)")
        let out = folder.appendingPathComponent("given.json").path
        let ladder = ["python", "--sizes", "1000", "--samples", "4", "--processes", "2", "--min-sample-ms", "0.2", "--out", out, "--quiet"]
        let given = try JSABenchProcess.run(ladder + ["--run-level", measured + "/reproducibility.json"])
        #expect(given.status == 0, "\(given.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect((json["run"] as! [String: Any])["run_level"] is [String: Any])
        let rungs = (json["cases"] as! [[String: Any]]).filter { $0["family"] as? String == "python" }
        #expect(rungs.count >= 10)
        for rung in rungs {
            let estimates = rung["estimates"] as! [String: Any]
            let headline = estimates[estimates["headline"] as! String] as! [String: Double]
            let rerun = try #require(estimates["rerun"] as? [String: Double], "\(rung["id"]!)")
            #expect(rerun["ci95_low"]! <= headline["ci95_low"]! && rerun["ci95_high"]! >= headline["ci95_high"]!)
        }
        let missing = try JSABenchProcess.run(ladder + ["--run-level", folder.appendingPathComponent("none.json").path])
        #expect(missing.status == 66, "\(missing.stderr)")
    }

    @Test(arguments: [
        ("0", "--processes must be at least 1, got 0"), ("-2", "--processes must be at least 1, got -2"),
        ("100000", "--processes must be at most 64, got 100000")
    ])
    func badProcessCountsExit64(value: String, message: String) throws {
        let result = try JSABenchProcess.run(["python", "--processes", value, "--out", folder.appendingPathComponent("p.json").path])
        #expect(result.status == 64)
        #expect(result.stderr == "jsa-bench: error: \(message)\n", "\(result.stderr)")
    }

    @Test func sweepRunsTheLadderUnlessTold() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("s.json").path
        let result = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
            "--min-sample-ms", "0.2", "--no-python", "--out", out, "--quiet"
        ])
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
        let result = try JSABenchProcess.run(
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
                "--min-sample-ms", "0.2", "--no-report", "--out", out
            ],
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
            (
                "echo 'error while loading shared libraries: libpython3.11.so.1.0' >&2; exit 127",
                "the Python helper exited 127: error while loading shared libraries: libpython3.11.so.1.0"
            ),
            ("echo hello", "the Python helper answered 'hello'")
        ]
        for (k, c) in cases.enumerated() {
            let helper = folder.appendingPathComponent("helper\(k)").path
            try "#!/bin/sh\n\(c.script)\n".write(toFile: helper, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
            let out = folder.appendingPathComponent("s\(k).json").path
            let result = try JSABenchProcess.run(
                [
                    "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2",
                    "--min-sample-ms", "0.2", "--no-report", "--out", out
                ],
                environment: ["JSA_BENCH_PYTHON": helper])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("no Python ladder: \(c.expected)"), "\(result.stderr)")
        }
    }

    /// The helper's NumPy advises huge pages as `--pages` places the native cases' buffers: it
    /// starts with NUMPY_MADVISE_HUGEPAGE=1 for `huge` and 0 for `base`; and for `base` with huge
    /// pages disallowed (`THP_enabled: 0`), so that its arrays lie on 4 KiB pages even where the
    /// system's policy is `always`.
    @Test func theHelpersNumPyFollowsThePages() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("numpy-advice").path
        let helper = folder.appendingPathComponent("helper").path
        try """
        #!/bin/sh
        echo "$NUMPY_MADVISE_HUGEPAGE $(sed -n 's/^THP_enabled:[[:space:]]*//p' /proc/self/status)" >> '\(record)'
        exit 3

        """.write(toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        for pages in ["huge", "base"] {
            let result = try JSABenchProcess.run(
                [
                    "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2", "--no-report",
                    "--pages", pages, "--out", folder.appendingPathComponent("\(pages).json").path
                ],
                environment: ["JSA_BENCH_PYTHON": helper, "NUMPY_MADVISE_HUGEPAGE": "unset by the test"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "1 1\n0 0\n")
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
