import BenchModel
import Foundation
import Statistics

/// The run's speed index: the distribution of its rounds' speed readings, whether they sat at two
/// levels, and which samples were taken while the host ran at its fast level.
enum SpeedIndex {
    /// How much slower than the fast level a second level must be for samples to be told apart.
    static let minimumSlowdown = 1.05
    /// The share of the samples the fast level must hold for the others to be left out, unless it
    /// is the host's clean speed under contention (`isCleanUnderContention`).
    static let minimumFastShare = 0.5
    /// The widest a fast level may be (standard deviation of log probe time) to count as the
    /// host's clean speed, and how many times as wide the slower level must then be.
    static let maximumCleanSpread = 0.03
    static let minimumContentionSpreadRatio = 5.0

    /// The log probe time up to which a sample counts as taken at the host's fast level, from the
    /// probe times before the samples of a run (log ns): the boundary of their two-level fit
    /// when it finds a slower level — strongly supported (ΔBIC above
    /// `TwoLevelFit.minimumBICAdvantage`), holding at least `TwoLevelFit.minimumWeight` of the
    /// samples and at least `minimumSlowdown` slower — where the fast level holds at least
    /// `minimumFastShare` of them or is the host's clean speed under contention. Nil otherwise:
    /// every sample counts.
    ///
    /// A fast level in the minority is cut to only when it is clean — tight (σ at most
    /// `maximumCleanSpread`) under a slower level at least `minimumContentionSpreadRatio` times as
    /// broad: the host's uncontended speed, with other work on top of it for the rest. On the AMD
    /// EPYC guest (2026-12-04, 16 runs of `sweep --sizes 1000,10000,100000 --kernels scalar,avx2`)
    /// every run's fit had its fast level at σ 0.8–1.1% and the slower one at 22–36%, and a run
    /// with 49% of its samples at the fast level (2.25 µs against 3.9 µs) reported every case at
    /// n = 10⁴ 1.8× slow from all of them. Two tight levels are another thing: a default sweep
    /// with 33% of its samples at 1.9 µs and the rest at 2.24 µs (2026-12-04) put `into avx2` at
    /// n = 1000 at ±58% from the few fast ones against ±9% from all; there every sample counts.
    ///
    /// Not `isBimodal`: on the AMD EPYC guest (2026-12-03, 32 runs of `sweep --sizes
    /// 1000,10000,100000 --kernels scalar,avx2`) the probe sat at one tight level (σ under 1%) for
    /// most samples and spread over a broad slower one (typically 1.1-1.3x slower, σ 7-30%) for
    /// the rest: two levels by BIC, but rarely cleanly apart by Ashman's D (0.8-2.1 over 16 of the
    /// runs). `docs/measuring.md` has the numbers.
    /// On a machine class whose rule is `HeadlinePolicy.ClassRule.everySampleCounts`
    /// (`cpuIdentity`), nil whatever the probes.
    static func fastLevelCut(_ logProbes: [Double], cpuIdentity: String? = nil) -> Double? {
        guard HeadlinePolicy.machineClass(cpuIdentity)?.rule != .everySampleCounts,
            let fit = TwoLevelFit(logProbes), fit.bicAdvantage > TwoLevelFit.minimumBICAdvantage,
            fit.weights.high >= TwoLevelFit.minimumWeight, fit.weights.low >= TwoLevelFit.minimumWeight,
            fit.means.high - fit.means.low >= log(minimumSlowdown),
            fit.weights.low >= minimumFastShare || isCleanUnderContention(fit)
        else { return nil }
        return fit.boundary
    }

    /// Whether the fit's fast level is tight under a much broader slower one.
    static func isCleanUnderContention(_ fit: TwoLevelFit) -> Bool {
        fit.deviations.low <= maximumCleanSpread && fit.deviations.high >= minimumContentionSpreadRatio * fit.deviations.low
    }

    /// The summary of `logSpeeds` (log of each round's median probe time) and of how many of the
    /// `probedSamples` were at the fast level; nil without readings.
    static func summarize(_ logSpeeds: [Double], probedSamples: Int = 0, samplesAtFastLevel: Int = 0) -> SpeedIndexSummary? {
        guard !logSpeeds.isEmpty else { return nil }
        let sorted = logSpeeds.sorted()
        let fit = TwoLevelFit(logSpeeds)
        return SpeedIndexSummary(
            rounds: logSpeeds.count, medianNs: exp(Statistics.quantile(sorted: sorted, 0.5)),
            p5Ns: exp(Statistics.quantile(sorted: sorted, 0.05)), p95Ns: exp(Statistics.quantile(sorted: sorted, 0.95)),
            bimodal: fit?.isBimodal ?? false,
            levels: fit.map {
                [
                    SpeedLevel(probeNs: exp($0.means.low), share: $0.weights.low),
                    SpeedLevel(probeNs: exp($0.means.high), share: $0.weights.high)
                ]
            } ?? [],
            bicAdvantage: fit?.bicAdvantage, separation: fit?.separation,
            shareAtFastLevel: probedSamples > 0 ? Double(samplesAtFastLevel) / Double(probedSamples) : nil)
    }
}
