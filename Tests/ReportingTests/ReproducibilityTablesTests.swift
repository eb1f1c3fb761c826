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

    /// A difference's row gives its mean and SD in ns beside its CV (over its case's time); a
    /// ratio's row its mean as a number and no SD.
    @Test func aDifferenceRowGivesItsMeanAndSDInNanoseconds() {
        var report = Self.report(withinRunSE: nil)
        report.ratios = [
            FigureReproducibility(
                kind: "swift_overhead", subject: "native/into/avx2/n=1000/p=30", n: 1000,
                spread: Spread(values: [0.5, -0.5, 1.0], cv: 0.0076, sd: 0.76, coverage: 4.0 / 6, medianHalfWidth: 0.01)),
            FigureReproducibility(
                kind: "fraction_of_memcpy", subject: "native/into/avx2/n=1000/p=30", n: 1000,
                spread: Spread(values: [1.05, 1.06], cv: 0.0067, sd: 0.007, coverage: 1, medianHalfWidth: 0.01))
        ]
        let rows = ReproducibilityTables.ratios(report).rows
        #expect(rows[0] == ["swift_overhead", "native/into/avx2/n=1000/p=30", "0.3 ns", "0.8%", "0.8 ns", "66.7%"])
        #expect(rows[1] == ["fraction_of_memcpy", "native/into/avx2/n=1000/p=30", "1.055", "0.7%", "", "100.0%"])
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
