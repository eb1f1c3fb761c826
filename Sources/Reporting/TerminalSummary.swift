import BenchModel
import Foundation
import TextTable

/// What a sweep prints on stdout at its end: per size the cases' estimates and comparisons, the
/// call path, counters, the Python ladder, the budgets, and the diagnostics — the report's tables
/// in the terminal's style.
public enum TerminalSummary {
    public static func render(_ document: ResultsDocument, budgets: [BudgetVerdict] = []) -> String {
        var lines: [String] = []
        func table(_ table: Table?) {
            guard let table else { return }
            lines += table.lines(.terminal).map { "  " + $0 }
        }
        for n in Set(document.cases.filter { !ReportTables.isPython($0) }.map(\.n)).sorted() {
            let level = document.environment.caches.level(ofWorkingSet: 16 * n).rawValue
            lines.append("n = \(n) (\(level): native working set \(Format.bytes(16 * n)))")
            table(ReportTables.cases(document, n: n))
            lines.append("")
        }
        if let callPath = ReportTables.callPath(document) {
            lines.append("The call path: the Swift API against the same kernel called from C, and what allocating adds:")
            table(callPath)
            lines.append("")
        }
        if let autoChoice = ReportTables.autoChoice(document) {
            lines.append("What auto ran, against the fastest explicit kernel of this run (direct-write, within rounds):")
            table(autoChoice)
            lines.append("")
        }
        if let report = document.counters {
            lines.append(report.summaryLine)
            table(ReportTables.counters(document))
            for c in document.cases {
                if let mismatch = c.vectorIdentityMismatch { lines.append("  VECTOR WIDTH MISMATCH \(c.id): \(mismatch)") }
            }
            lines.append("")
        }
        if let python = document.python {
            if let reason = python.unavailableReason {
                lines.append("Python: not measured — \(reason)")
            } else {
                lines.append(
                    "Python \(python.python ?? "?") + NumPy \(python.numpy ?? "?") (\(python.executable ?? "?")): "
                        + "jsa_native over the kernel called from C in the same process, per call")
                table(ReportTables.python(document))
                lines.append("  \(ReportTables.overheadThreshold(document)).")
            }
            lines.append("")
        }
        if let simulated = ReportTables.simulated(document), let line = ReportTables.simulationLine(document) {
            lines.append(line)
            table(simulated)
            if let widths = ReportTables.vectorWidthLine(document) { lines.append("  " + widths) }
            lines.append("")
        } else if let instructions = ReportTables.instructions(document) {
            lines.append("Instructions per call under callgrind (deterministic; valgrind hides AVX-512):")
            table(instructions)
            lines.append("")
        }
        if !budgets.isEmpty {
            lines.append("Budgets (met or MISSED only when the whole 95% interval is on one side of the bound):")
            table(ReportTables.budgets(budgets))
            lines.append("")
        }
        if let speed = ReportTables.speedIndexLine(document) {
            lines.append(speed)
        }
        if let pauses = ReportTables.pausesLine(document) {
            lines.append(pauses)
        }
        if let runLevel = ReportTables.runLevelLine(document) {
            lines.append(runLevel)
        }
        // The counters' warning is their summary line, printed with their table above.
        let notable = document.diagnostics.filter { $0.severity != .info && !($0.code == "counters" && document.counters != nil) }
        if !notable.isEmpty {
            lines.append("")
            lines.append("Diagnostics:")
            lines += notable.map { "  \($0.severity.rawValue): \($0.message)" }
        }
        lines.append("")
        lines.append(
            "Clock: resolution \(Format.number(document.clock.resolutionNs, digits: 0)) ns, "
                + "read overhead \(Format.number(document.clock.readOverheadNs, digits: 1)) ns. " + ReportTables.casesLegend(document))
        if !document.complete {
            lines.append("INCOMPLETE: the sweep was interrupted; the cases above are the ones measured.")
        }
        return lines.joined(separator: "\n")
    }
}
