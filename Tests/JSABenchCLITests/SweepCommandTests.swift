import BenchModel
import Foundation
import Measurement
import SystemIO
import Testing

@Suite(.serialized) struct SweepCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-sweep-\(UUID())")

    func outputPath(_ name: String = "results.json") throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    /// The end-to-end run: valid JSON with every required field and verified cases.
    @Test func smallSweepWritesVerifiedResults() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let budgets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Reports/budgets/jsa-bench.budgets").path
        let result = try JSABenchProcess.run([
            "sweep", "--sizes", "1000,5000", "--samples", "5", "--min-sample-ms", "0.2", "--out", out,
            "--budgets", budgets
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("n = 1000 (L1"))
        #expect(result.stdout.contains("Budgets (met or MISSED only when the whole 95% interval is on one side of the bound):"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["schema"] as? String == "jsa-bench/results/v4")
        #expect(json["complete"] as? Bool == true)
        let cases = json["cases"] as! [[String: Any]]
        #expect(!cases.isEmpty && cases.allSatisfy { $0["verified"] as? Bool == true })
        #expect(cases.allSatisfy { ($0["samples_ns"] as? [Double])?.count == 5 })
        // Samples are median epochs, with each sample's wall time beside them where a sample made
        // more than one call.
        #expect((json["run"] as? [String: Any])?["epochs_per_sample"] as? Int == SamplingPlan.defaultEpochs)
        // The preset's samples wait for the host's fast level, within a budget of the sampling time.
        #expect((json["run"] as? [String: Any])?["fast_level_wait_budget"] as? Double == 1)
        #expect(cases.filter { $0["family"] as? String == "native" }.allSatisfy { $0["waited_ns"] is Double })
        let walls = cases.filter { $0["family"] as? String == "native" }.compactMap { $0["samples_wall_ns"] as? [Double] }
        #expect(!walls.isEmpty && walls.allSatisfy { $0.count == 5 })
        #expect(Set(cases.compactMap { $0["n"] as? Int }) == [1000, 5000])
        #expect((json["run"] as? [String: Any])?["pages"] as? String == "base")
        #expect((json["run"] as? [String: Any])?["placements"] as? Int == 8)
    }

    /// A quick sweep of the scalar kernel at `size` with `flags` (two short samples, no Python, no
    /// report), which must succeed: what it printed, and the results it wrote.
    func quickSweep(size: Int, _ flags: [String]) throws -> (result: JSABenchProcess.Result, json: [String: Any]) {
        let out = try outputPath()
        let result = try JSABenchProcess.run(
            [
                "sweep", "--sizes", "\(size)", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.1", "--no-python",
                "--no-report", "--out", out
            ] + flags)
        try #require(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        return (result, json)
    }

    /// `--pages huge`: the run records it, and warns only where the kernel did not back the
    /// workers' buffers with huge pages (always, where the system's policy is `never`).
    @Test func hugePagesAreRecordedAndAWorkerShortOfThemIsWarnedOf() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, json) = try quickSweep(size: 300_000, ["--pages", "huge"])
        #expect((json["run"] as? [String: Any])?["pages"] as? String == "huge")
        #expect((json["run"] as? [String: Any])?["placements"] as? Int == 1)
        let policy = Environment.transparentHugePagePolicy()
        #expect((json["environment"] as? [String: Any])?["transparent_hugepages"] as? String == policy)
        let warned = (json["diagnostics"] as! [[String: Any]]).contains { $0["code"] as? String == "pages_not_as_asked" }
        #expect(warned == (policy == nil || policy == "never"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--sizes", "0"], "invalid size '0': sizes must be positive"),
        (["--sizes", "1e3,abc"], "invalid size 'abc'"),
        (["--sizes", "100", "--period", "1000"], "period 1000 does not fit any size (largest is 100)"),
        (["--kernels", "avx9"], "invalid kernel 'avx9'"),
        (["--preset", "huge"], "The value 'huge' is invalid for '--preset <preset>'"),
        (["--samples", "0"], "--samples must be at least 1"),
        (["--min-sample-ms", "0"], "--min-sample-ms must be positive"),
        // Negative numbers are values with a reason, not "missing value" for a flag-like word.
        (["--sizes", "-5"], "invalid size '-5': sizes must be positive"),
        (["--period", "-3"], "--period must be at least 1, got -3"),
        (["--period", "0"], "--period must be at least 1, got 0"),
        (["--min-sample-ms", "-1"], "--min-sample-ms must be positive, got -1.0"),
        (["--processes", "-1"], "--processes must be at least 1, got -1"),
        (["--epochs", "0"], "--epochs must be in 1...64, got 0"),
        (["--epochs", "65"], "--epochs must be in 1...64, got 65"),
        (["--wait-for-fast-level", "-2"], "--wait-for-fast-level must be 0 (no wait) or a ratio above 0 and at most 20, got -2.0"),
        (["--wait-for-fast-level", "21"], "--wait-for-fast-level must be 0 (no wait) or a ratio above 0 and at most 20, got 21.0"),
        (["--wait-for-fast-level", "nan"], "--wait-for-fast-level must be 0 (no wait) or a ratio above 0 and at most 20, got nan"),
        (["--pages", "giant"], "The value 'giant' is invalid for '--pages <base|huge>'"),
        (["--placements", "0"], "--placements must be in 1...32, got 0"),
        (["--placements", "2", "--pages", "huge"], "--placements 2 needs --pages base: on huge pages a buffer's frames are contiguous"),
        (["--bogus"], "Unknown option '--bogus'")
    ])
    func usageErrorsExit64BeforeMeasuring(arguments: [String], message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let result = try JSABenchProcess.run(["sweep"] + arguments + ["--out", out])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aWaitOfZeroNeverWaits() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, json) = try quickSweep(size: 1000, ["--wait-for-fast-level", "0"])
        #expect((json["run"] as? [String: Any])?["fast_level_wait_budget"] == nil)
        #expect((json["cases"] as! [[String: Any]]).allSatisfy { $0["waited_ns"] == nil })
    }

    @Test func unwritableOutputExits73() throws {
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000", "--out", "/nonexistent-folder/r.json"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot write /nonexistent-folder/r.json"))
        #expect(result.stdout.isEmpty)
    }

    /// A size whose buffers the system will not map (here an address-space limit, `ulimit -v`) is
    /// measured by no process: the sweep says why, keeps the other sizes, and exits 71 — with one
    /// worker, two, or workers asked to count hardware events alike, without a crash.
    @Test(arguments: [["--processes", "1"], ["--processes", "2"], ["--counters", "core"]])
    func aSizeTheSystemWillNotMapExits71AndKeepsTheRest(measuring: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let sweep =
            [
                JSABenchProcess.executable.path, "sweep", "--sizes", "1000,50000000", "--kernels", "scalar", "--samples", "2",
                "--min-sample-ms", "0.1", "--no-python", "--no-report", "--out", out
            ] + measuring
        // 1.5 GiB of address space: the process and n = 1000 fit, the buffers of n = 5e7 (2 GB) do not.
        let result = try JSABenchProcess.run(
            ["-c", "ulimit -v 1500000 && exec \"$@\"", "sh"] + sweep, executable: "/bin/sh")
        #expect(result.status == 71, "\(result.stderr)")
        #expect(result.stderr.contains("cannot map"), "\(result.stderr)")
        #expect(result.stderr.contains("error: n=50000000: no samples"))
        #expect(result.stderr.contains("jsa-bench: error: no samples at n = 50000000"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(json["complete"] as? Bool == true)
        let cases = json["cases"] as! [[String: Any]]
        #expect(!cases.isEmpty && Set(cases.compactMap { $0["n"] as? Int }) == [1000])
        let diagnostics = json["diagnostics"] as! [[String: Any]]
        #expect(diagnostics.contains { $0["code"] as? String == "size_unmeasured" && $0["severity"] as? String == "error" })
    }

    /// Where no copy of jsa-bench for the measuring processes can be made (here: a temporary
    /// folder that does not exist), the sweep and the gate say so and exit 71 before measuring.
    @Test func noFolderForTheWorkersCopiesExits71() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let missing = folder.appendingPathComponent("no-such-folder").path
        let commands = [
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--no-python", "--no-report",
                "--out", out
            ],
            ["gate", "--baseline-exec", JSABenchProcess.executable.path, "--rounds", "2", "--sizes", "200", "--kernels", "scalar"]
        ]
        for command in commands {
            let result = try JSABenchProcess.run(command, environment: ["TMPDIR": missing])
            #expect(result.status == 71, "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains("cannot make a folder in \(missing) for the workers' executables"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A results file that can no longer be written (its folder removed after the first size's
    /// checkpoint) stops neither the measuring nor the summary: the whole run goes to a file in
    /// the temporary folder, the error says where, and the sweep exits 73 — or, stopped by
    /// SIGTERM at that moment, 143 with what it measured.
    @Test(arguments: [Int32(0), SIGTERM])
    func resultsThatCannotBeWrittenGoToTheTemporaryFolder(stoppedBy signal: Int32) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outFolder = folder.appendingPathComponent("out")
        let temporary = folder.appendingPathComponent("tmp")
        for made in [outFolder, temporary] { try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true) }
        let out = outFolder.appendingPathComponent("results.json").path
        let result = try JSABenchProcess.run(
            [
                "sweep", "--sizes", "1000,2000,3000", "--kernels", "scalar", "--samples", "3", "--processes", "3",
                "--min-sample-ms", "0.2", "--no-python", "--out", out
            ],
            environment: ["TMPDIR": temporary.path],
            interruptWhen: { _ in
                guard FileManager.default.fileExists(atPath: out) else { return false }
                try? FileManager.default.removeItem(at: outFolder)
                return true
            }, signal: signal)
        #expect(result.status == (signal == 0 ? 73 : 143), "\(result.stderr)")
        if signal == 0 {
            #expect(result.stderr.contains("warning: cannot write \(out)"), "\(result.stderr)")
            #expect(result.stdout.contains("n = 3000") || result.stdout.contains("n=3000"), "\(result.stdout.prefix(600))")
        }
        let rescued = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("jsa-bench-results-") }
        try #require(rescued.count == 1, "\(rescued)")
        let path = temporary.appendingPathComponent(rescued[0]).path
        #expect(result.stderr.contains("the results are in \(path) instead"), "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        #expect(json["complete"] as? Bool == (signal == 0) && json["analysis"] != nil)
        let sizes = Set((json["cases"] as! [[String: Any]]).compactMap { $0["n"] as? Int })
        #expect(signal == 0 ? sizes == [1000, 2000, 3000] : sizes.contains(1000), "\(sizes)")
    }

    @Test func explicitlyNamedDisabledKernelExits69() throws {
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000", "--kernels", "avx512", "--out", "/tmp/unused.json"],
            environment: ["JSA_DISABLE_CPU_FEATURES": "avx512f"])
        #expect(result.status == 69)
        let reason = try #require(HostCPU.reasonUnsupported(.avx512, cap: "avx512f"))
        #expect(result.stderr.contains("kernel 'avx512' is not supported here: \(reason)"), "\(result.stderr)")
    }

    /// Started inside another git repository under a cap: the results name the cap, the CPU, and
    /// the commit of the checkout jsa-bench was built in, not the working directory's.
    @Test func provenanceIsTheBuildsAndTheCapIsRecorded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        let git = { (arguments: [String]) in
            try ChildProcess.run(
                "git", ["-C", folder.path, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"] + arguments,
                timeout: 30)
        }
        _ = try git(["init", "-q"])
        _ = try git(["commit", "-q", "--allow-empty", "-m", "another repository"])
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--no-python", "--no-report", "--out", out],
            environment: ["JSA_DISABLE_CPU_FEATURES": "avx512f"], directory: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: JSA_DISABLE_CPU_FEATURES=avx512f: the kernels and auto run as on a CPU without avx512f"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let environment = json["environment"] as! [String: Any]
        #expect(environment["disabled_cpu_features"] as? [String] == ["avx512f"])
        #expect((environment["cpu_identity"] as? String)?.isEmpty == false)
        let run = json["run"] as! [String: Any]
        #expect(run["git_commit"] as? String == GitRevision.ofExecutable(JSABenchProcess.executable.path)?.commit)
        #expect(run["git_commit"] as? String != GitRevision.current(in: folder.path)?.commit)
    }

    @Test func malformedCapExits78() throws {
        let result = try JSABenchProcess.run(["sweep", "--sizes", "1000"], environment: ["JSA_DISABLE_CPU_FEATURES": "sse9"])
        #expect(result.status == 78)
    }

    /// In one process or several: the file is checkpointed after each size's pass, so the first
    /// size is on disk while the second is measured.
    @Test(arguments: ["1", "3"]) func ctrlCKeepsTheMeasuredSizes(processes: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try outputPath()
        // The first size checkpoints the file quickly; the second takes long enough to interrupt.
        let result = try JSABenchProcess.run(
            ["sweep", "--sizes", "1000,2000000", "--samples", "10", "--processes", processes, "--out", out, "--quiet"],
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
        let helper = try StuckChild(
            named: "slow-helper", in: folder,
            prelude: "echo '{\"protocol\":\"jsa-bench/python-helper/v1\"}'\nread request")
        try helper.interruptRun(
            [
                "sweep", "--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--min-sample-ms", "0.2",
                "--no-report", "--out", out
            ],
            environment: ["JSA_BENCH_PYTHON": helper.path], out: out, failureMarkers: ["python_failed", "python ladder at"])
    }
}
