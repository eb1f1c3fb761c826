import BenchModel
import Foundation
import Statistics

/// Every case present in both runs, compared on one metric; cases present in only one are listed.
public struct RunComparison: Codable, Sendable {
    public var metric: ComparisonMetric
    public var cases: [CaseVerdict]
    public var added: [String]
    public var removed: [String]
    /// Geometric mean of the HEAD/BASE ratios of the compared cases (none for metrics with an
    /// absolute threshold, whose baselines may be zero).
    public var geometricMeanRatio: Double?
    /// Cases of either run left out of a time comparison by `leavingOut` patterns (nil: none given).
    public var leftOut: [String]?
    /// On the estimates basis, the standard error (log units) that whole runs' levels add to a
    /// case's difference (`RunLevel.betweenRuns`), from the runs' `run.run_level`, over every case;
    /// nil when neither run was given one (or on another basis: ratios within a run cancel its
    /// level).
    public var runLevelSE: Double?
    /// Where the runs' spreads have each case's own (`RunLevelSpread.sdByCase`), the largest such
    /// standard error of a compared case and that case: each case's difference takes its own.
    public var largestCaseRunLevelSE: CaseRunLevel?

    /// A case's standard error of whole runs' levels (log units).
    public struct CaseRunLevel: Codable, Sendable, Hashable {
        public var id: String
        public var se: Double
    }
    /// On time, the share of each run's probed samples taken at its host's fast level where that
    /// run drew a fast-level cut (`SpeedIndexSummary.shareAtFastLevel`; nil for a run that drew none,
    /// with one level or without probes): its values at the fast level rest on those samples alone.
    public var fastLevelShares: FastLevelShares?

    /// Each run's share of samples at its host's fast level, in [0, 1].
    public struct FastLevelShares: Codable, Sendable, Hashable {
        public var base: Double?
        public var head: Double?

        /// The shares of two analysed runs, where at least one drew a cut; nil otherwise.
        init?(base: ResultsDocument, head: ResultsDocument) {
            func share(_ document: ResultsDocument) -> Double? {
                document.analysis?.speedIndex?.shareAtFastLevel.flatMap { $0 < 1 ? $0 : nil }
            }
            let (base, head) = (share(base), share(head))
            guard base != nil || head != nil else { return nil }
            self.base = base
            self.head = head
        }

        /// Whether either run took fewer than `RunComparison.seldomFastLevelShare` of its samples there.
        public var eitherMetItSeldom: Bool {
            [base, head].contains { $0.map { $0 < RunComparison.seldomFastLevelShare } ?? false }
        }
    }

    /// A run that took fewer of its samples than this at its host's fast level met that level
    /// seldom: its fast-level values come from few samples and processes, and its cases more often
    /// rest on another level than the other run's. On the Intel Xeon guest of family 6 model 0xCF
    /// (2026-12-06 16:56–17:04, the 10 A/A pairs of `WAYS=a scripts/gate-validation 10`) the five
    /// pairs in which a run met it in under 30% of its samples (the lower share 9–23%) left 31–36
    /// of 36 cases inconclusive, the other five (32–56%) 11–21.
    public static let seldomFastLevelShare = 0.3

    /// Significance level of the rank test.
    public static let alpha = 0.05

    /// Compares `head` with `base` (both analysed) on `metric`; time on `basis`. A time
    /// comparison leaves out the cases whose id matches one of `leavingOut` (`*` wildcards):
    /// cases whose time moves between runs by more than their intervals say (counts are
    /// deterministic and never left out).
    public static func compare(
        base: ResultsDocument, head: ResultsDocument, metric: ComparisonMetric,
        thresholds: Thresholds, basis: ComparisonBasis = .estimates, seed: UInt64 = 42, leavingOut: [String] = []
    ) -> RunComparison {
        let leftOutPatterns = metric == .time ? leavingOut : []
        func isLeftOut(_ c: CaseResult) -> Bool { leftOutPatterns.contains { Glob.matches(c.id, pattern: $0) } }
        func value(_ c: CaseResult) -> Bool {
            if isLeftOut(c) { return false }
            guard metric == .time else { return metric.count(of: c) != nil }
            switch basis {
            case .samples: return !c.samplesNs.isEmpty
            case .estimates, .memcpy: return c.estimates != nil
            }
        }
        let baseCases = Dictionary(base.cases.filter(value).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let headCases = head.cases.filter(value)
        var pairs = headCases.compactMap { h in baseCases[h.id].map { (base: $0, head: h) } }
        var verdicts: [CaseVerdict]
        var runLevelSE: Double?
        var largestCaseRunLevelSE: CaseRunLevel?
        if metric == .time {
            var statistics: [SampleComparison]
            var shifts: [(base: Double, head: Double)?] = []
            var values: [(base: Double, head: Double, measure: String)] = []
            let hostTolerance = { (id: String) in HostSpeed.tolerance(threshold: thresholds.threshold(for: id, metric: .time)) }
            switch basis {
            case .samples:
                statistics = pairs.map { SampleComparison.compare(base: $0.base.samplesNs, head: $0.head.samplesNs, seed: seed) }
                values = pairs.map { pair in
                    (Statistics.median(pair.base.samplesNs), Statistics.median(pair.head.samplesNs), Estimator.median.rawValue)
                }
                shifts = pairs.map {
                    hostSpeeds($0.base, $0.head, estimator: .median, cuts: (nil, nil), tolerance: hostTolerance($0.head.id))
                }
            case .estimates, .memcpy:
                runLevelSE = basis == .estimates ? RunLevel.betweenRuns(base: base, head: head)?.se : nil
                if basis == .estimates, (base.run.runLevel ?? head.run.runLevel)?.sdByCase != nil {
                    largestCaseRunLevelSE = pairs.compactMap { pair in
                        RunLevel.betweenRuns(base: base, head: head, case: pair.head.id).map { CaseRunLevel(id: pair.head.id, se: $0.se) }
                    }.max { $0.se < $1.se }
                }
                let compared = pairs.map { pair -> (SampleComparison, (base: Double, head: Double, measure: String), Estimator)? in
                    guard let values = estimates(pair.base, in: base, pair.head, in: head, basis: basis) else { return nil }
                    let (b, h) = (values.base, values.head)
                    let betweenRuns = basis == .estimates ? RunLevel.betweenRuns(base: base, head: head, case: pair.head.id) : nil
                    let statistics = SampleComparison.compareIntervals(
                        base: (b.value, b.ci95Low, b.ci95High), head: (h.value, h.ci95Low, h.ci95High),
                        baseDegreesOfFreedom: replicateDegreesOfFreedom(pair.base),
                        headDegreesOfFreedom: replicateDegreesOfFreedom(pair.head), betweenRuns: betweenRuns)
                    return (statistics, (b.value, h.value, values.measure), values.probedBy)
                }
                pairs = pairs.indices.filter { compared[$0] != nil }.map { pairs[$0] }
                statistics = compared.compactMap { $0?.0 }
                values = compared.compactMap { $0?.1 }
                // Neither estimates nor within-round ratios to memcpy (taken over every round)
                // cancel a change of the host's level between runs: at a level where the probe
                // took twice as long, memcpy slowed 1.4–1.9× and the kernels by other factors.
                let cuts = (HostSpeed.fastLevelCut(of: base), HostSpeed.fastLevelCut(of: head))
                shifts = zip(pairs, compared.compactMap { $0?.2 }).map { pair, estimator in
                    hostSpeeds(pair.base, pair.head, estimator: estimator, cuts: cuts, tolerance: hostTolerance(pair.head.id))
                }
            }
            let significant = holmSignificant(statistics.map(\.pValue))
            verdicts = pairs.indices.map { k in
                timeVerdict(
                    pairs[k].base, pairs[k].head, statistics: statistics[k], significant: significant[k],
                    threshold: thresholds.threshold(for: pairs[k].head.id, metric: .time), compared: values[k],
                    hostSpeeds: shifts[k])
            }
            if basis != .memcpy { verdicts = ReferenceShift.apply(to: verdicts, cases: pairs.map(\.head)) }
        } else {
            verdicts = pairs.map {
                countVerdict($0.base, $0.head, metric: metric, threshold: thresholds.threshold(for: $0.head.id, metric: metric))
            }
        }
        let headIDs = Set(headCases.map(\.id))
        let leftOut = (base.cases + head.cases).filter(isLeftOut).map(\.id)
        return RunComparison(
            metric: metric, cases: verdicts,
            added: headCases.map(\.id).filter { baseCases[$0] == nil },
            removed: base.cases.filter(value).map(\.id).filter { !headIDs.contains($0) },
            geometricMeanRatio: metric.thresholdKind == .relative ? geometricMean(verdicts) : nil,
            leftOut: leftOutPatterns.isEmpty ? nil : Array(Set(leftOut)).sorted(), runLevelSE: runLevelSE,
            largestCaseRunLevelSE: largestCaseRunLevelSE,
            fastLevelShares: metric == .time ? FastLevelShares(base: base, head: head) : nil)
    }

    /// The estimates one case is compared on, from each run, by `basis`; what they are (`measure`,
    /// as the table names it); and the estimator whose samples' probes stand behind them
    /// (`probedBy`, for the host-speed rule: ratios over the fast level's rounds rest on the fast
    /// samples, ratios over every round on all of them).
    static func estimates(
        _ b: CaseResult, in base: ResultsDocument, _ h: CaseResult, in head: ResultsDocument,
        basis: ComparisonBasis
    ) -> (base: IntervalEstimate, head: IntervalEstimate, measure: String, probedBy: Estimator)? {
        switch basis {
        case .memcpy:
            if let (bf, hf) = fastLevelRatios(b, in: base, h, in: head) {
                return (bf, hf, RatioEstimate.fastLevelFigure(.fractionOfMemcpy), .fastLevel)
            }
            guard let bm = base.analysis?.ratio(.fractionOfMemcpy, of: b.id)?.estimate,
                let hm = head.analysis?.ratio(.fractionOfMemcpy, of: h.id)?.estimate
            else { return nil }
            return (bm, hm, RatioEstimate.Kind.fractionOfMemcpy.rawValue, .blocked)
        case .estimates, .samples:
            let estimator = comparedEstimator(b, h)
            guard let bv = b.estimates?[estimator], let hv = h.estimates?[estimator] else { return nil }
            return (bv, hv, estimator.rawValue, estimator)
        }
    }

    /// Each run's ratio to memcpy over the rounds at its host's fast level, where both runs have
    /// one and at least one of them left rounds out (otherwise the ratio over every round is the
    /// same thing). Where the host's slower level slows a case and memcpy by different factors,
    /// the ratio over every round moves with the share of rounds a run spent there: on the AMD EPYC
    /// Zen 4 guest (2026-12-04) the speed-up over scalar over every round moved 11.6% from run to
    /// run, over the fast level's rounds 0.3%.
    static func fastLevelRatios(
        _ b: CaseResult, in base: ResultsDocument, _ h: CaseResult, in head: ResultsDocument
    ) -> (IntervalEstimate, IntervalEstimate)? {
        guard let bm = base.analysis?.ratio(.fractionOfMemcpy, of: b.id), let hm = head.analysis?.ratio(.fractionOfMemcpy, of: h.id),
            let bf = bm.fastLevel, let hf = hm.fastLevel, bm.fastLevelRounds != bm.rounds || hm.fastLevelRounds != hm.rounds
        else { return nil }
        return (bf, hf)
    }

    /// The estimator two runs' estimates of a case are compared on: the headline where both runs
    /// head the case with the same one, `blocked` otherwise.
    static func comparedEstimator(_ b: CaseResult, _ h: CaseResult) -> Estimator {
        guard let be = b.estimates, let he = h.estimates else { return .blocked }
        return be.headline == he.headline ? be.headline : .blocked
    }

    /// The probe times (ns) behind each run's `estimator` of a case, when they lie further apart
    /// than `tolerance` (`HostSpeed.tolerance`: the hosts ran at different speeds) and, at the fast
    /// level, than the level's own spread (`HostSpeed.shift`); nil when they do not, or cannot be told.
    static func hostSpeeds(
        _ b: CaseResult, _ h: CaseResult, estimator: Estimator, cuts: (base: Double?, head: Double?), tolerance: Double
    ) -> (base: Double, head: Double)? {
        let base = HostSpeed.probeNs(behind: b, estimator: estimator, fastLevelCut: cuts.base)
        let head = HostSpeed.probeNs(behind: h, estimator: estimator, fastLevelCut: cuts.head)
        let spreads = HostSpeed.spreadWithinFastLevel(behind: b, estimator: estimator, fastLevelCut: cuts.base).flatMap { sb in
            HostSpeed.spreadWithinFastLevel(behind: h, estimator: estimator, fastLevelCut: cuts.head).map { (base: sb, head: $0) }
        }
        guard HostSpeed.shift(base: base, head: head, tolerance: tolerance, spreads: spreads) != nil, let base, let head else {
            return nil
        }
        return (base, head)
    }

    /// The degrees of freedom of a case's intervals: Student t over its measuring processes when
    /// there were two or more (`Analysis`), nil for the bootstrap of one process.
    static func replicateDegreesOfFreedom(_ c: CaseResult) -> Double? {
        guard let processes = c.estimates?.processes, processes >= 2 else { return nil }
        return Double(processes - 1)
    }

    /// Geometric mean of the verdicts' ratios (nil when there is none).
    static func geometricMean(_ verdicts: [CaseVerdict]) -> Double? {
        let ratios = verdicts.map(\.ratio).filter { $0 > 0 && $0.isFinite }
        return ratios.isEmpty ? nil : exp(ratios.map(log).reduce(0, +) / Double(ratios.count))
    }

    static func percent(_ fraction: Double) -> String { Format.number(100 * fraction, digits: 1) + "%" }

    /// The inconclusive cases whose rounds differ by far more than their samples within a round
    /// (`RoundSpreads.workersDiffer`): what their noise is, not the machine's moment.
    public var inconclusiveForTheirWorkers: [CaseVerdict] {
        inconclusive.filter { $0.roundSpreads?.workersDiffer == true }
    }

    /// How many times the samples' spread within a round the rounds' ratios spread in the cases
    /// of `inconclusiveForTheirWorkers`, at least (`RoundSpreads.workerFactor`).
    public static let workerFactor = RoundSpreads.workerFactor

    /// The verdict rule, one for both ways of comparing time: slower or faster when the ratio is
    /// beyond the threshold, its interval excludes 1 and the (Holm-corrected) test is significant;
    /// inconclusive when half the interval is wider than the threshold, or when the ratio is
    /// slower beyond the threshold but the evidence falls short of that (a possible regression is
    /// never passed as unchanged); unchanged otherwise, saying so when the ratio is faster beyond
    /// the threshold without the evidence.
    /// `insignificance` says why a test that is not significant is not, where more can be said
    /// than that the rounds disagree (too few rounds for the test to reach its level at all).
    static func judge(
        ratio: Double, ciLow: Double, ciHigh: Double, significant: Bool, threshold: Double, interval: String,
        noiseName: String, insignificance: String? = nil
    ) -> (CaseVerdict.Verdict, String) {
        let noise = (ciHigh - ciLow) / 2
        if ratio - 1 > threshold && ciLow > 1 && significant {
            return (.slower, "\(percent(ratio - 1)) slower (\(interval)), beyond the \(percent(threshold)) threshold")
        }
        if 1 - ratio > threshold && ciHigh < 1 && significant {
            return (.faster, "\(percent(1 - ratio)) faster (\(interval))")
        }
        if noise > threshold {
            return (
                .inconclusive,
                "\(noiseName) ±\(percent(noise)) (half the 95% CI of the ratio; \(interval)) exceeds the ±\(percent(threshold)) "
                    + "threshold by \(Format.number(noise / threshold, digits: 1))×"
            )
        }
        if abs(ratio - 1) > threshold {
            let evidence =
                significant
                ? "its interval reaches 1"
                : insignificance ?? "the rounds do not agree on it (not significant after Holm's correction)"
            if ratio > 1 {
                return (
                    .inconclusive,
                    "ratio \(Format.number(ratio, digits: 3)) is beyond the \(percent(threshold)) threshold but \(evidence) "
                        + "(\(interval)); rerun with more --rounds"
                )
            }
            return (.unchanged, "ratio \(Format.number(ratio, digits: 3)) is faster beyond the threshold but \(evidence) (\(interval))")
        }
        return (.unchanged, "ratio \(Format.number(ratio, digits: 3)) within ±\(percent(threshold)) (\(interval))")
    }

    /// `significant`: the case's p-value survived the Holm correction over all compared cases.
    /// `hostSpeeds`: the probe times behind the two estimates where the hosts ran at different
    /// speeds — then nothing is said of the change (inconclusive), whatever the ratio.
    static func timeVerdict(
        _ b: CaseResult, _ h: CaseResult, statistics s: SampleComparison, significant: Bool,
        threshold: Double, compared: (base: Double, head: Double, measure: String), hostSpeeds: (base: Double, head: Double)? = nil
    ) -> CaseVerdict {
        let interval =
            "95% CI \(Format.number(s.ci95Low, digits: 3))–\(Format.number(s.ci95High, digits: 3)), "
            + "p = \(Format.number(s.pValue, digits: 4))"
        var (verdict, reason) = judge(
            ratio: s.ratio, ciLow: s.ci95Low, ciHigh: s.ci95High, significant: significant,
            threshold: threshold, interval: interval, noiseName: "noise")
        if let speeds = hostSpeeds {
            verdict = .inconclusive
            reason =
                "the host ran at another speed: the speed probe before the samples behind the values compared took "
                + "\(Format.duration(speeds.base)) in the base run and \(Format.duration(speeds.head)) in the head "
                + "(\(Format.number(speeds.head / speeds.base, digits: 2))×, beyond 1 + the threshold, "
                + "\(Format.number(HostSpeed.tolerance(threshold: threshold), digits: 2))×); ratio \(Format.number(s.ratio, digits: 3)) "
                + "(\(interval)); rerun, or gate with --baseline-exec (both builds in the same rounds)"
        }
        return CaseVerdict(
            id: h.id, metric: .time, base: compared.base, head: compared.head, measure: compared.measure, ratio: s.ratio,
            statistics: s, threshold: threshold, verdict: verdict, reason: reason)
    }

    /// The verdict on a deterministic count: its change against the threshold, relative or
    /// absolute by the metric (no statistics: the same build counts the same).
    static func countVerdict(_ b: CaseResult, _ h: CaseResult, metric: ComparisonMetric, threshold: Double) -> CaseVerdict {
        let base = metric.count(of: b)!
        let head = metric.count(of: h)!
        let ratio = base == 0 ? (head == 0 ? 1 : .infinity) : head / base
        let change = metric.thresholdKind == .relative ? ratio - 1 : head - base
        let verdict: CaseVerdict.Verdict = change > threshold ? .slower : -change > threshold ? .faster : .unchanged
        let digits = metric.thresholdKind == .relative ? 0 : 4
        let shown =
            metric.thresholdKind == .relative
            ? "\(ratio >= 1 ? "+" : "−")\(percent(abs(ratio - 1))); threshold \(percent(threshold))"
            : "\(change >= 0 ? "+" : "−")\(Format.number(abs(change), digits: 4)); threshold \(Format.number(threshold, digits: 4))"
        let reason =
            "\(Format.number(base, digits: digits)) → \(Format.number(head, digits: digits)) \(metric.unit) (\(shown))"
        return CaseVerdict(
            id: h.id, metric: metric, base: base, head: head, ratio: ratio, statistics: nil,
            threshold: threshold, verdict: verdict, reason: reason)
    }

    /// Compares paired rounds of two builds (way b of the gate): per case, one HEAD/BASE ratio per
    /// round, judged by the bootstrap interval of the median log ratio and a sign test.
    public static func comparePaired(
        _ cases: [PairedCase], added: [String] = [], removed: [String] = [],
        thresholds: Thresholds, seed: UInt64 = 42
    ) -> RunComparison {
        let paired = cases.map { PairedComparison.compare(ratios: $0.ratios, seed: seed) }
        let significant = holmSignificant(paired.map(\.pValue))
        let verdicts = cases.indices.map { k in
            let (c, p) = (cases[k], paired[k])
            let threshold = thresholds.threshold(for: c.id, metric: .time)
            let interval =
                "95% CI \(Format.number(p.ci95Low, digits: 3))–\(Format.number(p.ci95High, digits: 3)), "
                + "sign test p = \(Format.number(p.pValue, digits: 4)) (Holm over \(cases.count) cases), \(p.rounds) rounds"
            var (verdict, reason) = judge(
                ratio: p.ratio, ciLow: p.ci95Low, ciHigh: p.ci95High, significant: significant[k],
                threshold: threshold, interval: interval, noiseName: "round-to-round noise",
                insignificance: tooFewRounds(p.rounds, cases: cases.count))
            let spreads = c.spreads
            if verdict == .inconclusive,
                let needed = roundsToNarrow(halfWidth: (p.ci95High - p.ci95Low) / 2, rounds: p.rounds, threshold: threshold)
            {
                reason += "; about \(needed) rounds would narrow its interval to the threshold"
            }
            if verdict == .inconclusive, let spreads, spreads.workersDiffer {
                reason +=
                    "; the rounds' ratios spread by \(percent(spreads.ofRatios)), each build's samples within a round by "
                    + "\(percent(spreads.withinRounds)): the workers differ (below the table)"
            }
            return CaseVerdict(
                id: c.id, metric: .time, base: Statistics.median(c.base), head: Statistics.median(c.head),
                measure: Estimator.median.rawValue, ratio: p.ratio,
                statistics: SampleComparison(ratio: p.ratio, ci95Low: p.ci95Low, ci95High: p.ci95High, pValue: p.pValue),
                threshold: threshold, verdict: verdict, reason: reason, roundSpreads: spreads)
        }
        return RunComparison(
            metric: .time, cases: verdicts, added: added, removed: removed,
            geometricMeanRatio: geometricMean(verdicts))
    }

    /// About how many rounds would bring a paired comparison's interval, of `halfWidth` from
    /// `rounds` rounds, within `threshold`, were further rounds to spread as these did: the
    /// half-width shrinks as one over the square root of the rounds, so `rounds` × (`halfWidth` /
    /// `threshold`)², rounded up; nil where it is within the threshold already or not known.
    static func roundsToNarrow(halfWidth: Double, rounds: Int, threshold: Double) -> Int? {
        guard rounds > 0, threshold > 0, halfWidth.isFinite, halfWidth > threshold else { return nil }
        return Int((Double(rounds) * (halfWidth / threshold) * (halfWidth / threshold)).rounded(.up))
    }

    /// The fewest paired rounds with which the sign test can be significant at all over `cases`
    /// compared cases: Holm tests the smallest p-value at alpha / cases, and with every round
    /// agreeing p = 2 / 2^rounds (9 for 12 cases, 10 for 24).
    public static func roundsNeeded(cases: Int) -> Int {
        PairedComparison.signTestMinimumCount(alpha: alpha / Double(max(cases, 1)))
    }

    /// "4 rounds cannot be significant over 6 cases (the sign test needs at least 8)" when
    /// `rounds` are fewer than `roundsNeeded(cases:)`; nil otherwise.
    public static func tooFewRounds(_ rounds: Int, cases: Int) -> String? {
        let needed = roundsNeeded(cases: cases)
        guard rounds < needed else { return nil }
        return "\(rounds) rounds cannot be significant over \(cases) case\(cases == 1 ? "" : "s") (the sign test needs at least \(needed))"
    }

    /// Which of `pValues` stay significant at `alpha` after the Holm–Bonferroni correction for
    /// testing every case at once (without it, 20+ cases at p < 0.05 give false alarms in A/A runs).
    static func holmSignificant(_ pValues: [Double]) -> [Bool] {
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var significant = [Bool](repeating: false, count: pValues.count)
        for (rank, index) in order.enumerated() {
            guard pValues[index] <= alpha / Double(pValues.count - rank) else { break }
            significant[index] = true
        }
        return significant
    }

    public var regressions: [CaseVerdict] { cases.filter { $0.verdict == .slower } }
    public var inconclusive: [CaseVerdict] { cases.filter { $0.verdict == .inconclusive } }
}
