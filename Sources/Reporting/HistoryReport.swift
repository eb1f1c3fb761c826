import Analysis
import BenchModel
import Foundation
import TextTable

/// The history of cases across runs (`jsa-bench history show` and `check`): one table and one
/// trend chart per series, and a markdown summary for a CI job.
public enum HistoryReport {
    /// One series: every run with its estimate and interval, steps marked on the first run after.
    public static func table(_ history: CaseHistory, changes: [SeriesChange]) -> Table {
        var table = Table(columns: [
            .init("run", .right), .init("started"), .init("commit"), .init("estimate", .right), .init("95% CI", .right), .init("step")
        ])
        let steps = Dictionary(changes.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, point) in history.points.enumerated() {
            table.rows.append([
                "\(index + 1)", point.startedAt, point.shortCommit, history.basis.format(point.value),
                "\(history.basis.format(point.ci95Low))–\(history.basis.format(point.ci95High))",
                steps[index].map(describe) ?? ""
            ])
        }
        return table
    }

    /// `+5.2% (95% CI +3.1–+7.4%), p = 0.005`.
    public static func describe(_ change: SeriesChange) -> String {
        func signed(_ ratio: Double) -> String { (ratio >= 1 ? "+" : "−") + Format.percent(abs(ratio - 1)) }
        return "\(signed(change.ratio)) (95% CI \(signed(change.ci95Low))–\(signed(change.ci95High))), p = "
            + Format.number(change.pValue, digits: 3)
    }

    /// The series as an SVG chart: the estimate per run with its interval's bounds, the runs on
    /// the x axis (labelled by commit in the table), and a dashed line at every detected step.
    public static func chart(_ history: CaseHistory, changes: [SeriesChange]) -> Charts.Chart {
        let points = history.points.enumerated()
        let title = "\(history.caseID) on \(history.machine.id)"
        let chart = SVGChart(
            title: title, xLabel: "run (oldest first; commits in the table)",
            yLabel: history.basis == .time ? "ns per call" : "time / memcpy time, same run",
            xScale: .linear, yScale: .linear,
            series: [
                SVGChart.Series(name: "estimate", points: points.map { (Double($0.offset + 1), $0.element.value) }),
                SVGChart.Series(name: "95% CI low", points: points.map { (Double($0.offset + 1), $0.element.ci95Low) }),
                SVGChart.Series(name: "95% CI high", points: points.map { (Double($0.offset + 1), $0.element.ci95High) })
            ],
            verticalMarkers: changes.map {
                SVGChart.Marker(x: Double($0.index) + 0.5, label: "step \($0.ratio >= 1 ? "+" : "−")\(Format.percent(abs($0.ratio - 1)))")
            })
        return Charts.Chart(file: fileName(history), title: title, svg: chart.render())
    }

    /// `native-into-avx2-n=1000-p=30.0123456789abcdef.svg`: the case id with `/` as `-`, and the machine.
    public static func fileName(_ history: CaseHistory) -> String {
        let safe = history.caseID.map { $0.isLetter || $0.isNumber || "=.-_".contains($0) ? $0 : "-" }
        return String(safe) + "." + history.machine.id + ".svg"
    }

    /// Every series in a few lines each, for a CI job summary: runs, the newest estimate, and the
    /// steps with their commit ranges.
    public static func markdown(_ histories: [CaseHistory], changes: [[SeriesChange]], charts: [String] = []) -> String {
        var lines = ["## jsa-bench history", ""]
        let machines = Dictionary(histories.map { ($0.machine.id, $0.machine) }, uniquingKeysWith: { a, _ in a })
        for (id, machine) in machines.sorted(by: { $0.key < $1.key }) {
            lines.append("- machine `\(id)`: \(machine.summary)")
        }
        lines += ["", "| case | machine | runs | newest | steps (first run after, commits, size) |", "| --- | --- | ---: | ---: | --- |"]
        for (history, steps) in zip(histories, changes) {
            let newest = history.points.last.map { history.basis.format($0.value) } ?? "—"
            let described = steps.map { "run \($0.index + 1), \(short($0.commitBefore))..\(short($0.commitAfter)): \(describe($0))" }
            lines.append(
                "| `\(history.caseID)` | `\(history.machine.id)` | \(history.points.count) | \(newest) | "
                    + (described.isEmpty ? "none" : described.joined(separator: "; ")) + " |")
        }
        for chart in charts {
            lines += ["", "![\(chart)](\(chart))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The schema of `json`'s output.
    public static let jsonSchema = "jsa-bench/history-series/v1"

    /// Every series with its change points as stable JSON for other tools: `{"schema", "series":
    /// [{"history": {case_id, machine, basis, points}, "changes": [...]}]}`.
    public static func json(_ histories: [CaseHistory], changes: [[SeriesChange]]) throws -> String {
        struct Entry: Encodable {
            let history: CaseHistory
            let changes: [SeriesChange]
        }
        struct Document: Encodable {
            let schema: String
            let series: [Entry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let document = Document(schema: jsonSchema, series: zip(histories, changes).map { Entry(history: $0, changes: $1) })
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// What `history check` found, one row per series.
    public static func checkTable(_ verdicts: [SeriesChanges.CheckVerdict]) -> Table {
        var table = Table(columns: [.init("case"), .init("machine"), .init("runs", .right), .init("newest step"), .init("verdict")])
        for v in verdicts {
            table.rows.append([
                v.caseID, v.machine, "\(v.runs)",
                v.newest.map { "run \($0.index + 1) (\(short($0.commitBefore))..\(short($0.commitAfter))): \(describe($0))" } ?? "none",
                v.verdict.rawValue
            ])
        }
        return table
    }

    static func short(_ commit: String?) -> String { commit.map { String($0.prefix(8)) } ?? "?" }
}
