import Analysis
import ArgumentParser
import Reporting

extension ComparisonMetric: ExpressibleByArgument {}
extension ComparisonBasis: ExpressibleByArgument {}
extension Gate.Format: ExpressibleByArgument {}

/// Options shared by `compare` and `gate`: what to compare and with which thresholds.
struct ComparisonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "What to compare, comma-separated: time; or deterministic counts, instructions (callgrind), estimated_cycles, "
                + "d1_misses, ll_misses (misses per element; from --counters cachesim).", valueName: "metrics"),
        transform: ListArguments.metrics)
    var metric: [ComparisonMetric] = [.time]

    @Option(
        help: ArgumentHelp(
            "(time, stored runs) estimates: each run's case estimates and their intervals; memcpy: each "
                + "case's time relative to memcpy at the same n in its own run (what slows both alike cancels); samples: the raw samples as "
                + "independent draws (v1: bootstrap of the medians' ratio, Mann-Whitney U).", valueName: "basis"))
    var basis: ComparisonBasis = .estimates

    @Option(parsing: .unconditional, help: ArgumentHelp("Relative threshold for time (5% or 0.05).", valueName: "fraction"))
    var threshold: String = "5%"

    @Option(help: ArgumentHelp("Relative threshold for instruction counts.", valueName: "fraction"))
    var instructionsThreshold: String = "1%"

    @Option(
        help: ArgumentHelp(
            "Per-case threshold, PATTERN=T[:metric] (`*` wildcards), repeatable; the last match wins. Without a metric it "
                + "applies to the relative ones; d1_misses and ll_misses take an absolute T in misses per element.",
            valueName: "pattern=threshold"))
    var thresholdFor: [String] = []

    @Option(help: ArgumentHelp("File of per-case thresholds: one 'PATTERN THRESHOLD [METRIC]' per line.", valueName: "file"))
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
        thresholds.defaults[.time] = time
        thresholds.defaults[.instructions] = instructions
        if let config {
            let text = try readInput(config)
            do {
                thresholds.overrides += try Thresholds.parseConfig(text)
            } catch {
                throw failure("\(config): \(error)", ExitStatus.dataError)
            }
        }
        for text in thresholdFor {
            guard let override = Thresholds.parseOverride(text) else {
                throw ValidationError("--threshold-for: '\(text)' is not PATTERN=THRESHOLD[:METRIC]")
            }
            thresholds.overrides.append(override)
        }
        return thresholds
    }
}
