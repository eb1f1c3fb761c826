import Analysis
import ArgumentParser
import BenchModel
import Foundation
import Reporting
import SystemIO

/// `jsa-bench report`: the markdown summary and SVG charts of a results file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write REPORT.md and its SVG charts from a results JSON (derived from the file alone).",
        discussion:
            "Exit codes: 0 ok; 65 the file is not a valid results document of this schema; 66 it does not exist; 73 the report cannot be written."
    )

    @Argument(help: ArgumentHelp("The results JSON of a sweep.", valueName: "results.json"))
    var results: String

    @Option(
        name: [.customLong("output"), .customLong("out")],
        help: ArgumentHelp("Folder for REPORT.md and the charts (default: the folder of the results file).", valueName: "dir"))
    var output: String?

    @Option(help: "Title of the report.")
    var title: String = ReportWriter.defaultTitle

    @OptionGroup var budgets: BudgetsOption

    @Option(
        help: ArgumentHelp(
            "A reproducibility.json from `jsa-bench reproduce`, shown in the Trust section (default: the "
                + "one beside the results file, if any).", valueName: "file"))
    var reproducibility: String?

    func run() throws {
        let document = try readResults(results)
        let verdicts = BudgetEvaluation.evaluate(try budgets.load(), on: document)
        let folder = output ?? URL(fileURLWithPath: results).deletingLastPathComponent().path
        let beside = URL(fileURLWithPath: results).deletingLastPathComponent().appendingPathComponent("reproducibility.json").path
        let reproducibilityReport = try (reproducibility ?? (FileManager.default.fileExists(atPath: beside) ? beside : nil))
            .map(readReproducibility)
        do {
            let path = try ReportWriter.write(
                document, to: folder, title: title, source: results, budgets: verdicts,
                reproducibility: reproducibilityReport)
            try emit(path + "\n")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("the report: \(error)", ExitStatus.cannotCreate)
        }
    }
}

/// `jsa-bench export`: a results file in another tool's format.
