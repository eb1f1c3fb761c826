// libFuzzer target: arbitrary bytes as a results document. Decoding and validation must give a
// document or an error, never a trap; and a document they accept must go through everything a
// command does with one — analysis, the terminal summary, the markdown report and its charts,
// every export, comparison with itself on every metric and basis, the gate's decision — without
// trapping. The committed corpus (Fuzz/corpus/results) starts from real sweeps' files.
import Analysis
import Foundation
import Reporting
import Results

// SwiftPM links an executable with a main of its own (and -sanitize=fuzzer adds libFuzzer's, which
// calls LLVMFuzzerTestOneInput): whichever the linker keeps, libFuzzer's driver runs.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzResultsDocument))

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzResultsDocument(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    guard var document = try? ResultsFile.decode(data, path: "input") else { return 0 }
    Analysis.analyze(&document)
    _ = TerminalSummary.render(document)
    let charts = Charts.all(document)
    _ = MarkdownReport.render(document, MarkdownReport.Inputs(title: "fuzz", source: "input", charts: charts))
    for format in Exports.Format.allCases {
        _ = try? Exports.render(document, as: format)
    }
    for metric in ComparisonMetric.allCases {
        _ = Gate.unfitness(base: document, head: document, metric: metric)
        for basis in ComparisonBasis.allCases {
            let comparison = RunComparison.compare(base: document, head: document, metric: metric, thresholds: Thresholds(), basis: basis)
            _ = Gate.outcome(of: comparison)
        }
    }
    return 0
}
