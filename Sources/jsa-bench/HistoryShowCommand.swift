import Analysis
import ArgumentParser
import BenchModel
import Foundation
import History
import Reporting
import SystemIO

/// `jsa-bench history show`: each selected series with its change points.
struct HistoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print each case's series per machine, with the change points E-Divisive finds.")

    @OptionGroup var store: HistoryStoreOption
    @OptionGroup var selection: HistorySelection

    @Option(
        help: "Output: text (a table per series), markdown (a summary for a CI job) or json (every series and its change points).")
    var format: Gate.Format = .text

    @Option(help: ArgumentHelp("Also write an SVG trend chart per series and SUMMARY.md into this folder.", valueName: "folder"))
    var charts: String?

    func run() throws {
        let series = try selection.series(in: store)
        let changes = series.map { SeriesChanges.detect($0, options: selection.detector) }
        var chartFiles: [String] = []
        if let charts {
            do {
                try OutputFolder.create(charts)
                for (history, steps) in zip(series, changes) {
                    let chart = HistoryReport.chart(history, changes: steps)
                    try AtomicFile.write(Data(chart.svg.utf8), to: charts + "/" + chart.file)
                    chartFiles.append(chart.file)
                }
                try AtomicFile.write(
                    Data(HistoryReport.markdown(series, changes: changes, charts: chartFiles).utf8), to: charts + "/SUMMARY.md")
            } catch {
                throw failure("--charts: \(error)", ExitStatus.cannotCreate)
            }
        }
        if format == .json {
            try emit(try HistoryReport.json(series, changes: changes))
            return
        }
        if series.isEmpty {
            try emit("No runs match (case \(selection.case)\(selection.machine.map { ", machine \($0)" } ?? "")).\n")
            return
        }
        switch format {
        case .markdown:
            try emit(HistoryReport.markdown(series, changes: changes, charts: chartFiles))
        case .text, .json:  // json: above
            var lines: [String] = []
            for (history, steps) in zip(series, changes) {
                lines.append("\(history.caseID) on \(history.machine.id) (\(history.machine.summary)): \(history.points.count) runs")
                lines += HistoryReport.table(history, changes: steps).lines(.terminal).map { "  " + $0 }
                lines.append("")
            }
            try emit(lines.joined(separator: "\n"))
        }
    }
}
