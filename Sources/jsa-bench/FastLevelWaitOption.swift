import ArgumentParser
import Measurement
import Sweep

/// `--wait-for-fast-level RATIO`: before each sample, wait while the speed probe reads the host's
/// slower level, for at most RATIO times the time spent sampling (`FastLevelWait`); 0 never waits.
struct FastLevelWaitOption: ParsableArguments {
    @Option(
        name: .customLong("wait-for-fast-level"), parsing: .unconditional,
        help: ArgumentHelp(
            "Before a sample whose speed probe reads the host's slower level (above \(FastLevelWait.tolerance)× the "
                + "lowest probe seen), time the probe until it has read fast for \(Int(FastLevelWait.confirmationNs / 1e3)) µs, "
                + "for at most \(Int(FastLevelWait.maximumWaitNs / 1e6)) ms per sample and RATIO times the time spent sampling "
                + "in all: more samples at the fast level, a run up to 1 + RATIO times as long. 0: never wait. "
                + "(default: the preset's, 1)",
            valueName: "ratio"))
    var budgetRatio: Double?

    /// The wait asked for: the preset's without the flag, none for 0.
    func wait(preset: SweepPreset) -> FastLevelWait? {
        guard let budgetRatio else { return preset.fastLevelWait }
        return budgetRatio == 0 ? nil : FastLevelWait(budgetRatio: budgetRatio)
    }

    func validate() throws {
        if let budgetRatio, budgetRatio != 0, !(budgetRatio > 0 && budgetRatio <= SweepConfiguration.maximumWaitBudgetRatio) {
            throw ValidationError(SweepConfiguration.Problem.waitBudgetOutOfRange(budgetRatio).description)
        }
    }
}
