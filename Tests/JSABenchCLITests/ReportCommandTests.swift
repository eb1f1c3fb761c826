import Foundation
import Testing

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
        let sweep = try JSABenchProcess.run([
            "sweep", "--sizes", "1000", "--kernels", HostCPU.kernelList("scalar,avx2"), "--samples", "2",
            "--min-sample-ms", "0.2", "--no-python", "--out", out, "--quiet"
        ])
        #expect(sweep.status == 0)
        let report = folder.appendingPathComponent("REPORT.md").path
        let first = try String(contentsOfFile: report, encoding: .utf8)
        #expect(first.contains("## Conclusions"))
        try FileManager.default.removeItem(atPath: report)
        let regenerated = try JSABenchProcess.run(["report", out, "--output", folder.path])
        #expect(regenerated.status == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == first)
        try FileManager.default.removeItem(atPath: report)
        // Every command that writes takes both spellings of its output option.
        let spelledOut = try JSABenchProcess.run(["report", out, "--out", folder.path])
        #expect(spelledOut.status == 0)
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
        #expect(
            wrongSchema.stderr.contains(
                "\(other): schema 'jsa-bench/results/v0', expected 'jsa-bench/results/v1' or 'jsa-bench/results/v2' "
                    + "or 'jsa-bench/results/v3' or 'jsa-bench/results/v4'"))
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
