import ArgumentParser
import Foundation
import Reporting
import SystemIO

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

    @Option(
        name: [.short, .customLong("output"), .customLong("out")],
        help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
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
