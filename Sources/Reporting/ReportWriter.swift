import BenchModel
import Foundation
import SystemIO

/// Writes a report folder: the charts, then REPORT.md, each file atomically, so an interrupted or
/// failed write never leaves a report that points at missing or half-written charts.
public enum ReportWriter {
    /// The default title.
    public static let defaultTitle = "JSA optimization summary"

    /// Renders `document` into `folder` (created if missing) with the budgets' verdicts and a
    /// reproducibility report, when given; returns the path of REPORT.md.
    @discardableResult
    public static func write(
        _ document: ResultsDocument, to folder: String, title: String = defaultTitle, source: String,
        budgets: [BudgetVerdict] = [], reproducibility: ReproducibilityReport? = nil
    ) throws -> String {
        try OutputFolder.create(folder)
        let charts = Charts.all(document)
        for chart in charts {
            try AtomicFile.write(Data(chart.svg.utf8), to: folder + "/" + chart.file)
        }
        let report = MarkdownReport.render(
            document,
            MarkdownReport.Inputs(
                title: title, source: source, charts: charts, budgets: budgets, reproducibility: reproducibility))
        let path = folder + "/REPORT.md"
        try AtomicFile.write(Data(report.utf8), to: path)
        return path
    }
}
