import BenchModel
import Foundation
import Statistics

/// How fast the host ran behind a case's estimate, told by the speed probe timed before each of
/// the samples the estimate rests on; and when two runs' hosts ran too far apart for their
/// estimates (in ns or in probe units) or their ratios to memcpy to be compared.
///
/// A run can sit at the host's slow level from start to end: on the AMD EPYC guest (2026-12-04,
/// `WAYS=a scripts/gate-validation 10`) the head sweep of an A/A pair had its probe at 3.8–3.9 µs
/// against the base's 2.01 µs, every sample slow, and the gate called eight cases 46–91% slower;
/// in another pair the base had 27% of its samples at the fast level and the head none. Within one
/// run nothing tells such a run from a fast one — there is no faster level to find — but the two
/// runs' probes do.
enum HostSpeed {
    /// The ratio of two runs' probe times beyond which their values are not compared, for
    /// a case gated at `threshold` (relative, 0.05 = 5%): 1 + the threshold — a change of the host's
    /// speed as large as the threshold can make a verdict by itself. The host's fast level sat at
    /// 1.72, 2.00, 2.09 and 2.25 µs in runs of one hour (2026-12-04), and the cases moved with it by
    /// 0.1–1.2× its change: in two A/A pairs of way a the probe behind the estimates moved 15% and
    /// 17% and the cases 20–22% (`WAYS=a scripts/gate-validation 10`, 06:21), both called slower
    /// under the tolerance of 1.2 this replaced. Over 150 A/A pairs of that morning's saved sweeps
    /// this rule calls no pair slower (1.2: two) and leaves 603 of 3645 cases inconclusive (591).
    static func tolerance(threshold: Double) -> Double { 1 + threshold }

    /// The median probe time (ns) before the samples that `estimator` rests on for `c`: those at
    /// or below the run's fast-level cut (log ns) for `fastLevel` and `normalized` (which leaves
    /// the slower samples out too, `RoundTable.logTimesOverSpeed`), every probed sample otherwise;
    /// nil without probes.
    ///
    /// `normalized` is judged too, though its values are already over the probe: they cancel the
    /// host's speed only as far as the case slows with the probe, and between runs at the host's
    /// two levels it did not. On the AMD EPYC guest (2026-12-04 13:21, `WAYS=a
    /// scripts/gate-validation 10`) an A/A pair's base ran at the slow level throughout, its probe
    /// at 4.5 µs against the head's 2.25 µs (2.03×), while its cases took 1.69× their head's time:
    /// every normalized estimate of the head read 12% higher (geometric mean over 27 cases), and
    /// two cases were called 10% and 18% slower.
    static func probeNs(behind c: CaseResult, estimator: Estimator, fastLevelCut cut: Double?) -> Double? {
        let used = probes(behind: c, estimator: estimator, fastLevelCut: cut)
        return used.isEmpty ? nil : Statistics.median(used)
    }

    /// How many times the spread of the probe within the fast level its median must move too, beside
    /// `tolerance`, before two estimates at that level count as taken at different speeds.
    static let levelSpreads = 2.0

    /// The spread of the probe times (robust SD, log units) within the fast level behind
    /// `estimator`'s samples of `c`: nil for an estimator over every sample, in a run without a cut,
    /// or with fewer than three such probes.
    ///
    /// A broad fast level moves its median between runs while the cases at it hold. On the Intel Xeon
    /// guest of family 6 model 0xCF (2026-12-06, three `reproduce` sets of 13:44–14:08) the probe
    /// spread 8–11% within the fast level, and the median behind a case's fast-level samples moved
    /// 5–13% from run to run while `into avx2` at n = 1000 read 120–124 ns in seven runs of eight:
    /// the tolerance alone left 350 of the 739 comparisons of their consecutive runs' A/A gates
    /// inconclusive for the host's speed. So a move within `levelSpreads` times the level's spread
    /// (pooled over the two runs) is the level's own breadth, not another speed. The 10 A/A pairs
    /// and 10 pairs with the 5% slower build of `KEEP=… WAYS=a scripts/gate-validation 10`
    /// (14:32–14:42) re-gated: A/A 268 → 224 of 360 comparisons inconclusive, none called slower;
    /// the slower build caught in 6 of 10 either way (19 → 24 cases called slower); the 16 A/A
    /// pairs of the `reproduce` sets 661 → 611 of 739, none slower or faster; the 42 A/A pairs of
    /// six AMD EPYC sets (history of `Reports/reproducibility`, a fast level of σ about 1%) 302 →
    /// 301 of 1134, the one case called slower the same.
    static func spreadWithinFastLevel(behind c: CaseResult, estimator: Estimator, fastLevelCut cut: Double?) -> Double? {
        guard restsOnFastLevel(estimator), cut != nil else { return nil }
        let used = probes(behind: c, estimator: estimator, fastLevelCut: cut)
        return used.count >= 3 ? Statistics.robustSD(used.map(log)) : nil
    }

    /// The probe times (ns) before the samples that `estimator` rests on for `c` (`probeNs`).
    private static func probes(behind c: CaseResult, estimator: Estimator, fastLevelCut cut: Double?) -> [Double] {
        guard let probes = c.probesNs, probes.count == c.samplesNs.count else { return [] }
        let limit = restsOnFastLevel(estimator) ? cut.map(exp) ?? .infinity : .infinity
        return probes.filter { $0 > 0 && $0 <= limit }
    }

    /// Whether `estimator` rests on the samples at the fast level alone (both leave the slower
    /// samples out, `RoundTable.logTimesOverSpeed`).
    private static func restsOnFastLevel(_ estimator: Estimator) -> Bool {
        estimator == .fastLevel || estimator == .normalized
    }

    /// The fast-level cut of `document`'s run, as its analysis drew it.
    static func fastLevelCut(of document: ResultsDocument) -> Double? {
        SpeedIndex.fastLevelCut(Analysis.logProbes(document.cases))
    }

    /// Head's probe time over base's behind the same case, when beyond `tolerance` either way and,
    /// for estimates at the fast level (`spreads`: each run's `spreadWithinFastLevel`), beyond
    /// `levelSpreads` times the level's spread pooled over the two runs.
    static func shift(base: Double?, head: Double?, tolerance: Double, spreads: (base: Double, head: Double)? = nil) -> Double? {
        guard let base, let head, base > 0, head > 0 else { return nil }
        let ratio = head / base
        let pooled = spreads.map { (($0.base * $0.base + $0.head * $0.head) / 2).squareRoot() } ?? 0
        return max(ratio, 1 / ratio) > tolerance && abs(log(ratio)) > levelSpreads * pooled ? ratio : nil
    }
}
