import Analysis
import ArgumentParser
import BenchModel
import History
import Reporting

/// `jsa-bench history check`: fails when a series' newest change point is a regression.
struct HistoryCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 1 when the newest change point of a series is slower beyond the threshold.",
        discussion: """
            Per series (case × machine): E-Divisive's change points; the newest is a regression when \
            the median after it over the median before it exceeds 1 + threshold and its 95% interval \
            is above 1. Exit 0 pass; 1 regression; 3 no series has enough runs to test (two minimum \
            segments, 10 runs); 65/66/73/75 as for the store.
            """)

    @OptionGroup var store: HistoryStoreOption
    @OptionGroup var selection: HistorySelection

    @Option(parsing: .unconditional, help: ArgumentHelp("Relative threshold (5% or 0.05).", valueName: "fraction"))
    var threshold: String = "5%"

    @Option(help: "Output: text or markdown.")
    var format: Gate.Format = .text

    func validate() throws {
        guard Thresholds.parseFraction(threshold) != nil else {
            throw ValidationError("--threshold: '\(threshold)' is not a fraction like 5% or 0.05")
        }
        if format == .json { throw ValidationError("--format: text or markdown") }
    }

    func run() throws {
        let series = try selection.series(in: store)
        let verdicts = SeriesChanges.check(
            series, threshold: Thresholds.parseFraction(threshold)!,
            options: selection.detector)
        let checkable = verdicts.filter { $0.verdict != .tooShort }
        if !checkable.isEmpty {
            try emit(HistoryReport.checkTable(checkable).lines(format == .markdown ? .markdown : .terminal).joined(separator: "\n") + "\n")
        }
        let regressions = verdicts.filter { $0.verdict == .regression }.count
        let checked = checkable.count
        try emit("history check: \(checked) series checked, \(regressions) regressed, \(verdicts.count - checked) too short\n")
        if regressions > 0 { throw ExitCode(1) }
        if checked == 0 { throw ExitCode(3) }
    }
}
