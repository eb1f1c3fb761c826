import Analysis
import ArgumentParser
import Foundation
import Measurement
import Reporting
import Results
import SystemIO

/// Reads a results file, mapping its problems to exit codes: missing 66, invalid 65, and analyses
/// it: every derived figure (statistics, estimates, ratios) is recomputed from the raw samples, so
/// a file written without its analysis (v1, a checkpoint of an interrupted run) or edited after it
/// reads the same as one fresh from a sweep (the analysis is seeded: an untouched file gives
/// exactly the figures stored in it).
func readResults(_ path: String) throws -> ResultsDocument {
    do {
        var document = try ResultsFile.read(path)
        Analysis.analyze(&document)
        return document
    } catch {
        switch error {
        case .missing: throw failure(error.description, ExitStatus.noInput)
        case .invalid: throw failure(error.description, ExitStatus.dataError)
        }
    }
}

/// The text of an input file (budgets, thresholds, noise floor, reproducibility), mapping its
/// problems to exit codes: missing 66, unreadable or not text 65.
func readInput(_ path: String) throws -> String {
    do {
        return try InputFile.text(path)
    } catch {
        switch error {
        case .missing: throw failure(error.description, ExitStatus.noInput)
        case .unreadable: throw failure(error.description, ExitStatus.dataError)
        }
    }
}

/// `jsa-bench report`: the markdown summary and SVG charts of a results file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write REPORT.md and its SVG charts from a results JSON (derived from the file alone).",
        discussion: "Exit codes: 0 ok; 65 the file is not a valid results document of this schema; 66 it does not exist; 73 the report cannot be written.")

    @Argument(help: ArgumentHelp("The results JSON of a sweep.", valueName: "results.json"))
    var results: String

    @Option(help: ArgumentHelp("Folder for REPORT.md and the charts (default: the folder of the results file).", valueName: "dir"))
    var output: String?

    @Option(help: "Title of the report.")
    var title: String = ReportWriter.defaultTitle

    @OptionGroup var budgets: BudgetsOption

    @Option(help: ArgumentHelp("A reproducibility.json from `jsa-bench reproduce`, shown in the Trust section (default: the "
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
            let path = try ReportWriter.write(document, to: folder, title: title, source: results, budgets: verdicts,
                                              reproducibility: reproducibilityReport)
            try emit(path + "\n")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("cannot write the report in \(folder): \(error)", ExitStatus.cannotCreate)
        }
    }

    /// Reads a reproducibility report: missing 66, not one 65.
    func readReproducibility(_ path: String) throws -> ReproducibilityReport {
        let data = Data(try readInput(path).utf8)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let report = try? decoder.decode(ReproducibilityReport.self, from: data),
              report.schema == ReproducibilityReport.schemaVersion else {
            throw failure("\(path): not a \(ReproducibilityReport.schemaVersion) document", ExitStatus.dataError)
        }
        return report
    }
}

/// `jsa-bench export`: a results file in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a results JSON to google/benchmark JSON, the Bencher Metric Format, or CSV.",
        discussion: "gbench: one iteration entry per sample plus mean/median/stddev aggregates, times in ns (cpu_time repeats "
            + "the wall time: jsa-bench measures no CPU time). bmf: latency (median ns with its 95% CI), throughput (GB/s), "
            + "instructions. csv: one row per case. Exit codes as for report.")

    @Argument(help: ArgumentHelp("The results JSON of a sweep.", valueName: "results.json"))
    var results: String

    @Option(help: "Output format: gbench, bmf or csv.")
    var format: Exports.Format

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        let document = try readResults(results)
        let text = try Exports.render(document, as: format)
        guard let output else {
            try emit(text)
            return
        }
        do {
            try AtomicFile.write(Data(text.utf8), to: output)
        } catch {
            throw failure("\(error)", ExitStatus.cannotCreate)
        }
    }
}

extension Exports.Format: ExpressibleByArgument {}
