import BenchModel
import Foundation
import Statistics

/// The run's speed index: the distribution of its rounds' speed readings, whether they sat at two
/// levels, and which samples were taken while the host ran at its fast level.
enum SpeedIndex {
    /// How much slower than the fast level a second level must be for samples to be told apart.
    static let minimumSlowdown = 1.05
    /// The share of the samples the fast level must hold for the others to be left out.
    static let minimumFastShare = 0.5

    /// The log probe time up to which a sample counts as taken at the host's fast level, from the
    /// probe times before the samples of one table (log ns): the boundary of their two-level fit
    /// when it finds a slower level — strongly supported (ΔBIC above
    /// `TwoLevelFit.minimumBICAdvantage`), holding at least `TwoLevelFit.minimumWeight` of the
    /// samples and at least `minimumSlowdown` slower — while the fast level holds at least
    /// `minimumFastShare` of them. Nil otherwise: every sample counts. Where the host ran mostly at
    /// the slower level, the fast samples are too few to rest an estimate on (a default sweep on
    /// the AMD EPYC guest, 2026-12-04, with 33% of its samples at the fast level: `into avx2` at
    /// n = 1000 ±58% from them against ±9% from all), and a minority of slow samples is what the
    /// medians of the blocked fit already withstand.
    ///
    /// Not `isBimodal`: on the AMD EPYC guest (2026-12-03, 32 runs of `sweep --sizes
    /// 1000,10000,100000 --kernels scalar,avx2`) the probe sat at one tight level (σ under 1%) for
    /// most samples and spread over a broad slower one (typically 1.1-1.3x slower, σ 7-30%) for
    /// the rest: two levels by BIC, but rarely cleanly apart by Ashman's D (0.8-2.1 over 16 of the
    /// runs). `docs/measuring.md` has the numbers.
    static func fastLevelCut(_ logProbes: [Double]) -> Double? {
        guard let fit = TwoLevelFit(logProbes), fit.bicAdvantage > TwoLevelFit.minimumBICAdvantage,
            fit.weights.high >= TwoLevelFit.minimumWeight, fit.weights.low >= minimumFastShare,
            fit.means.high - fit.means.low >= log(minimumSlowdown)
        else { return nil }
        return fit.boundary
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
