import Foundation
import Testing

@Suite(.serialized) struct ReproduceCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-reproduce-\(UUID())").path

    /// Two runs of a tiny sweep: both results, the comparison as JSON and markdown, and the table
    /// on stdout; then `--existing` recomputes it from the same runs, and `report` shows it.
    @Test func twoRunsAreComparedCaseByCase() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try JSABenchProcess.run([
            "reproduce", "--runs", "2", "--out", folder, "--", "--sizes", "1000",
            "--kernels", "scalar", "--samples", "4", "--processes", "2", "--min-sample-ms", "0.2"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["run-1.json", "run-2.json", "reproducibility.json", "REPRODUCIBILITY.md"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "missing \(file)")
        }
        #expect(
            result.stdout.contains(
                "2 runs of `jsa-bench sweep --sizes 1000 --kernels scalar --samples 4 --processes 2 --min-sample-ms 0.2 --no-python`"))
        #expect(result.stdout.contains("By estimator"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/reproducibility.json")))
            as! [String: Any]
        #expect(json["schema"] as? String == "jsa-bench/reproducibility/v1")
        #expect(json["processes"] as? Int == 2)  // Student t over 2 processes: 1 degree of freedom
        // P(|T| < t(0.975, 1)/√2) with 1 degree of freedom: (2/π) atan(12.706/√2) = 0.929.
        #expect((json["expected_coverage"] as? Double).map { abs($0 - 0.929) < 0.001 } == true, "\(json["expected_coverage"] ?? "none")")
        #expect(result.stdout.contains("Student t over the 2 measuring processes of the median case"))
        let cases = json["cases"] as! [[String: Any]]
        #expect(cases.contains { $0["id"] as? String == "native/into/scalar/n=1000/p=30" })
        for c in cases {
            let spreads = c["spreads"] as! [String: [String: Any]]
            let blocked = try #require(spreads["blocked"])
            #expect((blocked["values"] as! [Double]).count == 2)
            let coverage = blocked["coverage"] as! Double
            #expect(coverage == 0 || coverage == 0.5 || coverage == 1)  // two runs: two ordered pairs
        }
        let again = try JSABenchProcess.run(["reproduce", "--runs", "2", "--out", folder, "--existing"])
        #expect(again.status == 0, "\(again.stderr)")
        let report = try JSABenchProcess.run(["report", folder + "/run-1.json"])
        #expect(report.status == 0)
        let markdown = try String(contentsOfFile: folder + "/REPORT.md", encoding: .utf8)
        #expect(markdown.contains("### How well these numbers hold"))
    }

    /// `--existing` describes the runs by their own command lines: the subcommand they ran (`sweep`
    /// when none was named), without the output flags.
    @Test(arguments: [
        (["python", "--sizes", "1000", "--samples", "2", "--processes", "1"], "jsa-bench python --sizes 1000 --samples 2 --processes 1"),
        (
            ["--sizes", "1000", "--kernels", "scalar", "--samples", "2", "--no-python", "--no-report", "--quiet"],
            "jsa-bench sweep --sizes 1000 --kernels scalar --samples 2 --no-python"
        )
    ])
    func existingRunsAreDescribedByTheirCommand(arguments: [String], described: String) throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for k in 1...2 {
            let run = try JSABenchProcess.run(arguments + ["--min-sample-ms", "0.2", "--out", folder + "/run-\(k).json"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let result = try JSABenchProcess.run(["reproduce", "--runs", "2", "--out", folder, "--existing"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 runs of `\(described) --min-sample-ms 0.2`"), "\(result.stdout.prefix(300))")
    }

    /// With --python each run keeps its Python ladder, and the rungs are compared like the cases.
    @Test func thePythonLadderIsComparedWhenAsked() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try JSABenchProcess.run([
            "reproduce", "--runs", "2", "--python", "--out", folder, "--", "--sizes", "1000", "--kernels", "scalar",
            "--samples", "4", "--processes", "2", "--min-sample-ms", "0.2"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "2 runs of `jsa-bench sweep --sizes 1000 --kernels scalar --samples 4 --processes 2 --min-sample-ms 0.2`"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/reproducibility.json")))
            as! [String: Any]
        let ids = (json["cases"] as! [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ids.contains("python/jsa_out/n=1000/p=30"), "\(ids)")
    }

    /// Ctrl-C during the third run: the two finished runs are compared and kept (exit 130); the
    /// interrupted run's file is left out by `--existing`, which names the sweep as it was given.
    @Test func ctrlCComparesTheFinishedRuns() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = ["--sizes", "1000", "--kernels", "scalar", "--samples", "4", "--processes", "2", "--min-sample-ms", "0.2"]
        let third = folder + "/run-3.json"  // written after the third run's first pass of two
        let result = try JSABenchProcess.run(
            ["reproduce", "--runs", "3", "--out", folder, "--"] + sweep,
            interruptWhen: { _ in FileManager.default.fileExists(atPath: third) })
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted after 2 of 3 runs (kept in \(folder)); the report compares those"))
        let described = "2 runs of `jsa-bench sweep \(sweep.joined(separator: " ")) --no-python`"
        #expect(result.stdout.contains(described))
        let markdown = try String(contentsOfFile: folder + "/REPRODUCIBILITY.md", encoding: .utf8)
        #expect(markdown.contains(described))
        let again = try JSABenchProcess.run(["reproduce", "--runs", "3", "--out", folder, "--existing"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("\(third) is incomplete (an interrupted run): left out"))
        #expect(again.stdout.contains(described + ", "))
        #expect(again.stdout.contains("; each run "))
    }

    /// The runs' level goes into reproducibility.json; a sweep given it (`--run-level`) records it
    /// and gives each case a re-run interval around its headline estimate, at least as wide; a
    /// file that is missing, not a reproducibility report, or measured on another machine is an
    /// error before anything is measured.
    @Test func aSweepGivenTheRunLevelReportsReRunIntervals() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = ["--sizes", "1000", "--kernels", "scalar", "--samples", "4", "--processes", "2", "--min-sample-ms", "0.2"]
        let reproduce = try JSABenchProcess.run(["reproduce", "--runs", "2", "--out", folder, "--"] + sweep)
        #expect(reproduce.status == 0, "\(reproduce.stderr)")
        #expect(reproduce.stdout.contains("Run level ("))
        let file = folder + "/reproducibility.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        var level = try #require(json["run_level"] as? [String: Any])
        #expect((level["levels"] as! [Double]).count == 2)
        let sd = level["sd"] as! Double
        let results = folder + "/given.json"
        let given = try JSABenchProcess.run(["sweep"] + sweep + ["--no-python", "--no-report", "--run-level", file, "--out", results])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stdout.contains("Re-run intervals: each headline interval with the host's run level added"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: results))) as! [String: Any]
        let recorded = try #require((document["run"] as! [String: Any])["run_level"] as? [String: Any])
        #expect(recorded["sd"] as? Double == sd && recorded["source"] as? String == file)
        for c in document["cases"] as! [[String: Any]] {
            let estimates = c["estimates"] as! [String: Any]
            let headline = estimates[estimates["headline"] as! String] as! [String: Double]
            let rerun = try #require(estimates["rerun"] as? [String: Double])
            #expect(rerun["value"] == headline["value"])
            #expect(rerun["ci95_low"]! <= headline["ci95_low"]! && rerun["ci95_high"]! >= headline["ci95_high"]!)
        }
        let missing = try JSABenchProcess.run(["sweep"] + sweep + ["--run-level", folder + "/none.json", "--out", results])
        #expect(missing.status == 66)
        let notOne = try JSABenchProcess.run(["sweep"] + sweep + ["--run-level", results, "--out", results])
        #expect(notOne.status == 65 && notOne.stderr.contains("not a jsa-bench/reproducibility/v1 document"))
        var machine = level["machine"] as! [String: Any]
        machine["cpu_model"] = "Another CPU"
        level["machine"] = machine
        json["run_level"] = level
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
        let elsewhere = try JSABenchProcess.run(["sweep"] + sweep + ["--run-level", file, "--out", results])
        #expect(elsewhere.status == 65 && elsewhere.stderr.contains("measured elsewhere: cpu_model differs ('Another CPU' vs "))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let one = try JSABenchProcess.run(["reproduce", "--runs", "1", "--out", folder])
        #expect(one.status == 64 && one.stderr.contains("--runs must be in 2...1000"))
        let out = try JSABenchProcess.run(["reproduce", "--out", folder, "--", "--out", "x.json"])
        #expect(out.status == 64 && out.stderr.contains("may not contain --out"))
        let sweep = try JSABenchProcess.run(["reproduce", "--out", folder, "--", "--sizes", "0"])
        #expect(sweep.status == 64 && sweep.stderr.contains("sweep arguments"))
        #expect(!FileManager.default.fileExists(atPath: folder))  // made for the runs, removed again
        // Checking the sweep's arguments writes nothing where reproduce runs (a sweep without --out
        // would create its default folder, Reports/latest, there).
        let here = folder + "/cwd"
        try FileManager.default.createDirectory(atPath: here, withIntermediateDirectories: true)
        let valid = try JSABenchProcess.run(
            ["reproduce", "--out", folder + "/runs", "--existing", "--", "--sizes", "1000"], directory: here)
        #expect(valid.status == 66, "\(valid.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: here)
        #expect(written.isEmpty, "\(written)")
        let none = try JSABenchProcess.run(["reproduce", "--out", folder + "/empty", "--existing"])
        #expect(none.status == 66)
    }
}
