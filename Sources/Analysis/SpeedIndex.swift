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
    /// How much slower than the fast level a second level must be to count as another state of
    /// the host, whose samples are left out whatever share of them it holds.
    static let distinctStateSlowdown = 1.3
    /// Probe readings more than this many times the run's median are left out of a second fit
    /// where the first drew no cut: a probe interrupted or preempted, not a speed the host ran at
    /// (fitting without them from the start moved the cut on the AMD EPYC guest's jumpy set of
    /// 2026-12-04 12:20, its headline coverage 81.2 → 70.5%). On the Intel Xeon guest of family 6
    /// model 0xCF (2026-12-06 15:02–15:13, three runs of the default preset) 2–3% of the readings
    /// lay at 8–150 µs against levels of 1.9–2.0 and 3.4–3.6 µs; the fit's slower component took
    /// them, with under 5% of the readings, and the two levels beneath went unseen.
    /// Re-analysed with the second fit, that set's headline median run-to-run CV went 8.3 → 5.3%
    /// and its coverage 66.7 → 83.3%, and the goal's sweep of 13:44 7.4 → 6.5% and 67.9 → 78.6%; of
    /// the six AMD EPYC sets, two moved: 82.1 → 86.6% (08:34) and 81.2 → 77.7% (12:20, CV 1.0 →
    /// 1.2%).
    static let outlierFactor = 3.0
    /// Where neither fit draws a cut, the readings within this many times the median are fitted
    /// once more, and cut only where the slower level is another state of the host
    /// (`distinctStateSlowdown`): a fast level met in a few percent of the samples, far below a
    /// broad slower level with a tail of its own, takes neither of the first fits' components —
    /// they model the slower level's body and its tails (one mean, σ 0.13 and 0.83 in log units).
    /// On the Intel Xeon guest of family 6 model 0xCF (2026-12-06 16:57–17:01, 20 runs of `sweep
    /// --sizes 1000,10000,100000 --kernels scalar,avx2`, those of `WAYS=a scripts/gate-validation
    /// 10`) one run had 6.7% of its rounds at 2.14 µs and the rest at 3.73 µs, 2.6% of its probes
    /// at 8 µs or more (most under 20 µs), and drew no cut: its `fast_level` estimates were every
    /// sample's, `into scalar` at n = 1000 881 ns against 450–488 ns in the other 19. With this
    /// fit, `reproduce --existing` over the 20 runs: `fast_level` median run-to-run CV 16.5 → 2.6%,
    /// the headline's 10.2 → 4.1% and its coverage 58.4 → 70.0% (over the 29 and 25 cases with a
    /// headline in every run); the six sets of the AMD EPYC guests are unchanged.
    static let slowTailFactor = 1.5

    /// The log probe time up to which a sample counts as taken at the host's fast level, from the
    /// probe times before the samples of a run (log ns): the boundary of their two-level fit
    /// when it finds a slower level — strongly supported (ΔBIC above
    /// `TwoLevelFit.minimumBICAdvantage`), holding at least `TwoLevelFit.minimumWeight` of the
    /// samples and at least `minimumSlowdown` slower — where the fast level holds at least
    /// `minimumFastShare` of them, is the host's clean speed under contention, or the slower level
    /// is another state of the host. Nil otherwise: every sample counts. Where the fit of every
    /// reading draws no cut, the fit of those within `outlierFactor` times the median is tried: a
    /// tail of interrupted probes can take the fit's slower component; and then, for a distinct
    /// state only, the fit of those within `slowTailFactor` times the median.
    ///
    /// A fast level in the minority is cut to when it is clean — tight (σ at most
    /// `maximumCleanSpread`) under a slower level at least `minimumContentionSpreadRatio` times as
    /// broad: the host's uncontended speed, with other work on top of it for the rest. On the AMD
    /// EPYC guest (2026-12-04, 16 runs of `sweep --sizes 1000,10000,100000 --kernels scalar,avx2`)
    /// every run's fit had its fast level at σ 0.8–1.1% and the slower one at 22–36%, and a run
    /// with 49% of its samples at the fast level (2.25 µs against 3.9 µs) reported every case at
    /// n = 10⁴ 1.8× slow from all of them.
    ///
    /// And it is cut to, clean or not, when the slower level is at least `distinctStateSlowdown`
    /// slower: another state of the host, and a run that counts its samples reports the mix of two
    /// states in the proportion it happened to meet them. On the Intel Xeon guest of family 6
    /// model 0xCF (2026-12-06 13:44–14:08; two sets of 8 runs of `sweep --sizes 1000,10000,100000
    /// --kernels scalar,avx2` and one of 3 of the default preset) every run's fit put the fast level
    /// at 1.69–1.91 µs (σ 8–11% within it) and the slower one at 2.93–3.43 µs, 1.65–1.88× apart,
    /// the fast level holding 22–92% of a run's rounds: counted whole, `into avx2` at n = 1000 read
    /// 133–165 ns in four runs; from the fast level, 120–124 ns in seven runs of eight (the eighth's
    /// fit merged a rarely met fast level with a middle one, at 2.37 µs). Re-analysed with
    /// `jsa-bench reproduce --existing`, the headline's median run-to-run CV went 9.1 → 7.4%,
    /// 7.3 → 2.3% and 6.0 → 2.6% and its median coverage 60.7 → 67.9%, 44.6 → 71.4% and 50.0 →
    /// 83.3%; `fraction_of_memcpy` at the fast level 4.3 → 4.0%, 11.7 → 1.9% and 1.8 → 1.3%; the six
    /// saved sets of the AMD EPYC guests (git history of `Reports/reproducibility`, 2026-12-04)
    /// are unchanged. Two tight levels close together are another thing: a default sweep on the
    /// AMD EPYC guest with 33% of its samples at 1.9 µs and the rest at 2.24 µs (2026-12-04, 1.18×)
    /// put `into avx2` at n = 1000 at ±58% from the few fast ones against ±9% from all; there
    /// every sample counts.
    ///
    /// Not `isBimodal`: on the AMD EPYC guest (2026-12-03, 32 runs of `sweep --sizes
    /// 1000,10000,100000 --kernels scalar,avx2`) the probe sat at one tight level (σ under 1%) for
    /// most samples and spread over a broad slower one (typically 1.1-1.3x slower, σ 7-30%) for
    /// the rest: two levels by BIC, but rarely cleanly apart by Ashman's D (0.8-2.1 over 16 of the
    /// runs). `docs/measuring.md` has the numbers.
    static func fastLevelCut(_ logProbes: [Double]) -> Double? {
        let finite = logProbes.filter(\.isFinite)
        if let cut = cut(fitting: finite) { return cut }
        guard !finite.isEmpty else { return nil }
        let median = Statistics.median(finite)
        let uninterrupted = finite.filter { $0 <= median + log(outlierFactor) }
        if uninterrupted.count < finite.count, let cut = cut(fitting: uninterrupted) { return cut }
        let withoutSlowTail = finite.filter { $0 <= median + log(slowTailFactor) }
        guard withoutSlowTail.count < uninterrupted.count else { return nil }
        return cut(fitting: withoutSlowTail, distinctStateOnly: true)
    }

    /// The boundary of the two-level fit of `readings` where it draws a cut (`fastLevelCut`); with
    /// `distinctStateOnly`, only where the slower level is another state of the host.
    private static func cut(fitting readings: [Double], distinctStateOnly: Bool = false) -> Double? {
        guard let fit = TwoLevelFit(readings), fit.bicAdvantage > TwoLevelFit.minimumBICAdvantage,
            fit.weights.high >= TwoLevelFit.minimumWeight, fit.weights.low >= TwoLevelFit.minimumWeight,
            fit.means.high - fit.means.low >= log(minimumSlowdown)
        else { return nil }
        let distinctState = fit.means.high - fit.means.low >= log(distinctStateSlowdown)
        if distinctState { return fit.boundary }
        guard !distinctStateOnly, fit.weights.low >= minimumFastShare || isCleanUnderContention(fit) else { return nil }
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
