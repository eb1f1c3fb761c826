import Analysis
import ArgumentParser
import Reporting

/// `jsa-bench compare`: per case, HEAD against BASE, with statistics and a verdict.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files case by case: ratio with bootstrap CI, rank-test p-value, verdict.",
        discussion: "Verdicts: slower / faster when the ratio is beyond the threshold, its 95% CI excludes 1 and the "
            + "test is significant (p < 0.05 after the Holm correction over all cases); inconclusive when half the CI is wider "
            + "than the threshold; unchanged otherwise. With --basis estimates (the default) the ratio is of the two runs' "
            + "estimates and its interval combines theirs. Counts from valgrind (instructions, estimated_cycles, d1_misses, "
            + "ll_misses) are deterministic: their verdict is the change against the threshold. Exit 0 (65/66 for bad files).")

    @Argument(help: ArgumentHelp("The baseline results JSON.", valueName: "base.json"))
    var base: String

    @Argument(help: ArgumentHelp("The results JSON to judge.", valueName: "head.json"))
    var head: String

    @OptionGroup var options: ComparisonOptions

    func run() throws {
        let thresholds = try options.thresholds()
        let (baseDocument, headDocument) = (try readResults(base), try readResults(head))
        let comparisons = options.metric.map {
            RunComparison.compare(base: baseDocument, head: headDocument, metric: $0, thresholds: thresholds, basis: options.basis)
        }
        try emit(try Gate.render(comparisons, format: options.format))
    }
}
