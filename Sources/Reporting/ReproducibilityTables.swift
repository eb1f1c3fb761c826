import Analysis
import BenchModel
import TextTable

/// The tables of a reproducibility report (`jsa-bench reproduce`), in either style: per estimator
/// the run-to-run spread and interval coverage over all cases, then per case.
public enum ReproducibilityTables {
    /// The summary: one row per estimator (and per within-round ratio kind).
    public static func summary(_ report: ReproducibilityReport) -> Table {
        Table(
            columns: [
                .init("estimator"), .init("cases", .right), .init("median CV", .right), .init("worst CV", .right),
                .init("median coverage", .right), .init("worst coverage", .right), .init("cases ≥ 80%", .right)
            ],
            rows: report.summary.map { s in
                [
                    s.name, "\(s.cases)", Format.percent(s.medianCV), Format.percent(s.maximumCV), Format.percent(s.medianCoverage),
                    Format.percent(s.minimumCoverage), Format.percent(s.shareCovered80)
                ]
            })
    }

    /// Per case: each estimator's run-to-run CV and coverage, the headline's marked.
    public static func cases(_ report: ReproducibilityReport) -> Table {
        var columns: [Table.Column] = [.init("case")]
        for estimator in Estimator.allCases {
            columns += [.init("\(estimator.rawValue) CV", .right), .init("cov.", .right)]
        }
        return Table(
            columns: columns,
            rows: report.cases.map { c in
                [c.id]
                    + Estimator.allCases.flatMap { estimator -> [String] in
                        guard let spread = c[estimator] else { return ["—", "—"] }
                        let mark = estimator == c.headline ? "*" : ""
                        return [Format.percent(spread.cv) + mark, Format.percent(spread.coverage)]
                    }
            })
    }

    /// Per within-round ratio and difference: its mean, run-to-run CV (a difference's over its
    /// case's time, `Spread.cv`) and SD (a difference's, in ns), and coverage.
    public static func ratios(_ report: ReproducibilityReport) -> Table {
        Table(
            columns: [
                .init("figure"), .init("case"), .init("mean", .right), .init("CV", .right), .init("SD", .right), .init("coverage", .right)
            ],
            rows: report.ratios.map { r in
                let mean = r.spread.values.reduce(0, +) / Double(max(r.spread.values.count, 1))
                let difference = DifferenceEstimate.Kind(rawValue: r.kind) != nil
                return [
                    r.kind, r.subject, difference ? Format.duration(mean) : Format.number(mean, digits: 3), Format.percent(r.spread.cv),
                    difference ? r.spread.sd.map(Format.duration) ?? "—" : "", Format.percent(r.spread.coverage)
                ]
            })
    }

    /// What coverage honest intervals give over the report's runs: Student t over their measuring
    /// processes where there were two or more (`ReproducibilityReport.expectedCoverage`), else the
    /// normal interval's.
    static func honestCoverage(_ report: ReproducibilityReport) -> String {
        guard let expected = report.expectedCoverage, let processes = report.processes, processes >= 2 else {
            return "honest intervals give about 83%: P(|Z| < 1.96/√2)"
        }
        return "honest intervals, Student t over the \(processes) measuring processes of the median case, give about "
            + "\(Format.percent(expected)): P(|T| < t(0.975, \(processes - 1))/√2) with \(processes - 1) "
            + "degrees of freedom; 83% with many"
    }

    /// The whole report as text in `style` (the terminal output, or REPRODUCIBILITY.md).
    public static func render(_ report: ReproducibilityReport, style: Table.Style) -> String {
        let heading = style == .markdown ? "## " : ""
        var lines: [String] = []
        if style == .markdown {
            lines += ["# Reproducibility", ""]
        }
        lines.append(
            "\(report.runs.count) runs of `\(report.runCommandLine)`, "
                + "\(report.startedAt) to \(report.endedAt)"
                + (report.runSeconds.isEmpty
                    ? ". "
                    : "; each run \(Format.number(report.runSeconds.min()!, digits: 1))–\(Format.number(report.runSeconds.max()!, digits: 1)) s. ")
                + "Speed index (median probe time) per run: "
                + report.speedIndexMediansNs.map { Format.duration($0) }.joined(separator: ", ")
                + "; \(report.bimodalRuns) of \(report.runs.count) runs saw two speed levels.")
        lines.append("")
        lines.append(
            "CV: run-to-run coefficient of variation of a case's estimate or a ratio; of a difference (ns), its SD "
                + "over the time of the case it describes, as a difference may lie near zero. Coverage: the share of run pairs "
                + "(i, j), i ≠ j, in which run j's estimate lies in run i's 95% interval (\(honestCoverage(report))). "
                + "`headline`: each case's headline estimator; `rerun`: its re-run interval, "
                + "where the runs were given a run level (`sweep --run-level`).")
        if let level = report.runLevel {
            lines.append("")
            lines.append(
                "Run level (how far every case of a run sat from the runs' median, median over cases; what no run sees in "
                    + "its own samples): SD \(Format.number(100 * level.sd, digits: 2))% over the \(level.runsNotApart) of \(level.runs) runs not apart; per run "
                    + level.levels.map { ($0 >= 0 ? "+" : "") + Format.number(100 * $0, digits: 2) + "%" }.joined(separator: ", ") + "."
                    + (level.apart.isEmpty
                        ? ""
                        : " Apart (beyond \(Format.number(RunLevelSpread.apartBeyond, digits: 0)) robust SDs and "
                            + "\(Format.percent(RunLevelSpread.apartAtLeast)), the host at another "
                            + "level, as a rule): run \(level.apart.map(String.init).joined(separator: ", ")).")
                    + (level.withinRunSE.map { se in
                        " A run's own processes give its level a standard error of \(Format.number(100 * se, digits: 2))% "
                            + "(median over runs)"
                            + (se > 0 ? ": whole runs moved \(Format.number(level.sd / se, digits: 1))× that." : ".")
                    } ?? "")
                    + (RunLevel.caseSpreadSummary(level).map { " Each case's own SD over those runs: \($0)." } ?? "")
                    + " `jsa-bench sweep --run-level` with this file adds each case's SD (the SD above for a case not in it) to its "
                    + "headline interval.")
        }
        lines.append("")
        lines.append("\(heading)By estimator")
        lines.append("")
        lines += summary(report).lines(style)
        lines.append("")
        lines.append("\(heading)By case (* marks the headline estimator)")
        lines.append("")
        lines += cases(report).lines(style)
        lines.append("")
        lines.append("\(heading)Within-round ratios and differences")
        lines.append("")
        lines += ratios(report).lines(style)
        return lines.joined(separator: "\n") + "\n"
    }
}
