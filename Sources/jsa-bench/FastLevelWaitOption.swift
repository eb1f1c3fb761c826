import ArgumentParser
import Measurement
import Sweep

/// `--wait-for-fast-level RATIO`: before each sample, wait while the speed probe reads the host's
/// slower level, for at most RATIO times the time spent sampling (`FastLevelWait`).
struct FastLevelWaitOption: ParsableArguments {
    @Option(
        name: .customLong("wait-for-fast-level"), parsing: .unconditional,
        help: ArgumentHelp(
            "Before each sample, time the speed probe again while it reads the host's slower level (above "
                + "\(FastLevelWait.tolerance)× the lowest probe seen), for at most \(Int(FastLevelWait.maximumWaitNs / 1e6)) ms per sample "
                + "and RATIO times the time spent sampling in all: more samples at the fast level, a run up to 1 + RATIO times as long.",
            valueName: "ratio"))
    var budgetRatio: Double?

    /// The wait asked for, nil without the flag.
    var wait: FastLevelWait? { budgetRatio.map(FastLevelWait.init(budgetRatio:)) }

    func validate() throws {
        if let budgetRatio, !(budgetRatio > 0 && budgetRatio <= SweepConfiguration.maximumWaitBudgetRatio) {
            throw ValidationError(SweepConfiguration.Problem.waitBudgetOutOfRange(budgetRatio).description)
        }
    }
}
