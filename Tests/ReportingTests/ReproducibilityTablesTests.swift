import BenchModel
import Testing
import TextTable
@testable import Reporting

@Suite struct ReproducibilityTablesTests {
    static func report(withinRunSE: Double?) -> ReproducibilityReport {
        let machine = MachineClass(
            cpuModel: "AMD EPYC", logicalCPUs: 2, caches: CacheTopology(l1dBytes: 32768, l2Bytes: 524_288, l3Bytes: 8_388_608),
            disabledCPUFeatures: [])
        return ReproducibilityReport(
            sweepArguments: ["--sizes", "1000"], runs: ["run-1.json", "run-2.json", "run-3.json"],
            startedAt: "2026-12-04T08:12:00Z", endedAt: "2026-12-04T08:13:00Z", runSeconds: [2.5, 2.5, 2.5], cases: [],
            ratios: [], summary: [], speedIndexMediansNs: [2010, 2010, 2020], bimodalRuns: 0,
            runLevel: RunLevelSpread(
                sd: 0.004, levels: [0.004, 0, -0.004], withinRunSE: withinRunSE, measuredAt: "2026-12-04T08:13:00Z",
                machine: machine, epochsPerSample: 8))
    }

    /// The coverage line names what honest intervals give over the runs' measuring processes; a
    /// report from before they were recorded keeps the normal interval's 83%.
    @Test func theCoverageLineNamesWhatHonestIntervalsGiveOverTheRunsProcesses() {
        var report = Self.report(withinRunSE: nil)
        #expect(ReproducibilityTables.render(report, style: .markdown).contains("honest intervals give about 83%: P(|Z| < 1.96/√2)"))
        report.processes = 6
        report.expectedCoverage = 0.871
        let text = ReproducibilityTables.render(report, style: .markdown)
        #expect(
            text.contains(
                "honest intervals, Student t over the 6 measuring processes of the median case, give about 87.1%: "
                    + "P(|T| < t(0.975, 5)/√2) "
                    + "with 5 degrees of freedom; 83% with many"), "\(text)")
    }

    /// The run level's line says how closely a run's own processes place its level, and how many
    /// times that whole runs moved; a report from before it was measured says neither.
    @Test func theRunLevelLineComparesWholeRunsWithWhatARunSees() {
        for style in [Table.Style.markdown, .terminal] {
            let text = ReproducibilityTables.render(Self.report(withinRunSE: 0.0006), style: style)
            #expect(text.contains("SD 0.40% over the 3 of 3 runs not apart"), "\(text)")
            #expect(
                text.contains(
                    "A run's own processes give its level a standard error of 0.06% (median over runs): whole runs moved 6.7× that."))
            let older = ReproducibilityTables.render(Self.report(withinRunSE: nil), style: style)
            #expect(older.contains("SD 0.40% over the 3 of 3 runs not apart") && !older.contains("standard error"))
        }
    }
}
