import ArgumentParser
import Foundation
import Reporting
import Results

extension ComparisonMetric: ExpressibleByArgument {}
extension Gate.Format: ExpressibleByArgument {}

/// Options shared by `compare` and `gate`: what to compare and with which thresholds.
struct ComparisonOptions: ParsableArguments {
    @Option(help: "What to compare: time (medians, bootstrap CI, Mann-Whitney U) or instructions (callgrind counts).")
    var metric: ComparisonMetric = .time

    @Option(help: ArgumentHelp("Relative threshold for time (5% or 0.05).", valueName: "fraction"))
    var threshold: String = "5%"

    @Option(help: ArgumentHelp("Relative threshold for instruction counts.", valueName: "fraction"))
    var instructionsThreshold: String = "1%"

    @Option(help: ArgumentHelp("Per-case threshold, PATTERN=T[:metric] (`*` wildcards), repeatable; the last match wins.",
                               valueName: "pattern=threshold"))
    var thresholdFor: [String] = []

    @Option(help: ArgumentHelp("File of per-case thresholds: one 'PATTERN THRESHOLD [time|instructions]' per line.", valueName: "file"))
    var config: String?

    @Option(help: "Output: text, markdown or json.")
    var format: Gate.Format = .text

    /// The thresholds these options describe, or a usage error naming the bad one.
    func thresholds() throws -> Thresholds {
        var thresholds = Thresholds()
        guard let time = Thresholds.parseFraction(threshold) else {
            throw ValidationError("--threshold: '\(threshold)' is not a fraction like 5% or 0.05")
        }
        guard let instructions = Thresholds.parseFraction(instructionsThreshold) else {
            throw ValidationError("--instructions-threshold: '\(instructionsThreshold)' is not a fraction like 1% or 0.01")
        }
        thresholds.time = time
        thresholds.instructions = instructions
        if let config {
            guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
                throw failure("\(config): no such file", ExitStatus.noInput)
            }
            do {
                thresholds.overrides += try Thresholds.parseConfig(text)
            } catch {
                throw failure("\(config): \(error)", ExitStatus.dataError)
            }
        }
        for text in thresholdFor {
            guard let override = Thresholds.parseOverride(text) else {
                throw ValidationError("--threshold-for: '\(text)' is not PATTERN=THRESHOLD[:time|instructions]")
            }
            thresholds.overrides.append(override)
        }
        return thresholds
    }
}

/// `jsa-bench compare`: per case, HEAD against BASE, with statistics and a verdict.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files case by case: ratio with bootstrap CI, rank-test p-value, verdict.",
        discussion: "Verdicts: slower / faster when the ratio is beyond the threshold, its 95% CI excludes 1 and the "
            + "Mann-Whitney p < 0.05; inconclusive when half the CI is wider than the threshold; unchanged otherwise. "
            + "Instruction counts are deterministic: their verdict is the ratio against the threshold. Exit 0 (65/66 for bad files).")

    @Argument(help: ArgumentHelp("The baseline results JSON.", valueName: "base.json"))
    var base: String

    @Argument(help: ArgumentHelp("The results JSON to judge.", valueName: "head.json"))
    var head: String

    @OptionGroup var options: ComparisonOptions

    func run() throws {
        let thresholds = try options.thresholds()
        let comparison = RunComparison.compare(base: try readResults(base), head: try readResults(head), metric: options.metric,
                                               thresholds: thresholds)
        print(try Gate.render(comparison, format: options.format), terminator: "")
    }
}

/// `jsa-bench gate`: a CI regression gate with one exit code per verdict.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Fail CI on a regression that is both beyond its threshold and statistically significant.",
        discussion: """
            Exit codes: 0 pass (improvements are reported); 1 regression; 3 inconclusive (the noise of some \
            case is larger than its threshold, so nothing can be said — the message says by how much); \
            4 unfit to compare (a debug build, different machines — CPU model, CPUs, caches — or schemas, \
            unless --allow-mismatch); 64 usage; 65 an invalid results or config file; 66 a missing file.

            Ways to gate: against a stored baseline (--baseline BASE.json HEAD.json), for quiet dedicated \
            machines; or on callgrind instruction counts (--metric instructions) against the committed \
            baseline under Reports/baselines/, deterministic on any runner.
            """)

    @Option(help: ArgumentHelp("The baseline results JSON.", valueName: "base.json"))
    var baseline: String

    @Argument(help: ArgumentHelp("The results JSON to judge.", valueName: "head.json"))
    var head: String

    @OptionGroup var options: ComparisonOptions

    @Flag(help: "Compare even across machines, schemas or build configurations.")
    var allowMismatch = false

    func run() throws {
        let thresholds = try options.thresholds()
        let base = try readResults(baseline)
        let current = try readResults(head)
        let problems = Gate.unfitness(base: base, head: current, metric: options.metric)
        if !problems.isEmpty && !allowMismatch {
            throw failure("unfit to compare \(baseline) with \(head): \(problems.joined(separator: "; ")) (--allow-mismatch to compare anyway)",
                          ExitCode(Gate.Outcome.unfit.rawValue))
        }
        let comparison = RunComparison.compare(base: base, head: current, metric: options.metric, thresholds: thresholds)
        let outcome = Gate.outcome(of: comparison)
        print(try Gate.render(comparison, format: options.format, outcome: outcome), terminator: "")
        if comparison.cases.isEmpty {
            throw failure("no case of \(head) has a \(options.metric.rawValue) to compare with \(baseline)", ExitStatus.dataError)
        }
        if outcome != .pass {
            throw ExitCode(outcome.rawValue)
        }
    }
}
