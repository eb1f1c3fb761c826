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
        guard let probes = c.probesNs, probes.count == c.samplesNs.count else { return nil }
        let atFastLevel = estimator == .fastLevel || estimator == .normalized
        let limit = atFastLevel ? cut.map(exp) ?? .infinity : .infinity
        let used = probes.filter { $0 > 0 && $0 <= limit }
        return used.isEmpty ? nil : Statistics.median(used)
    }

    /// The fast-level cut of `document`'s run, as its analysis drew it.
    static func fastLevelCut(of document: ResultsDocument) -> Double? {
        SpeedIndex.fastLevelCut(Analysis.logProbes(document.cases))
    }

    /// Head's probe time over base's behind the same case, when beyond `tolerance` either way.
    static func shift(base: Double?, head: Double?, tolerance: Double) -> Double? {
        guard let base, let head, base > 0, head > 0 else { return nil }
        let ratio = head / base
        return max(ratio, 1 / ratio) > tolerance ? ratio : nil
    }
}
