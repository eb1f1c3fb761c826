import BenchModel
import Foundation
import Statistics

/// What is compared: wall time (noisy, judged with statistics), or a count from valgrind
/// (deterministic, judged by the change alone): callgrind's instructions per call, and from the
/// cache simulation (`--counters cachesim`) the estimated cycles per call and the D1 and LL
/// misses per element. Every metric is lower-is-better.
public enum ComparisonMetric: String, CaseIterable, Codable, Sendable {
    case time
    case instructions
    case estimatedCycles = "estimated_cycles"
    case d1Misses = "d1_misses"
    case llMisses = "ll_misses"

    /// How a threshold is read: a relative change (0.01 = 1%) or an absolute one in the metric's
    /// unit (misses per element, where a baseline of zero makes any ratio meaningless).
    public enum ThresholdKind: String, Codable, Sendable {
        case relative, absolute
    }

    public var thresholdKind: ThresholdKind {
        switch self {
        case .time, .instructions, .estimatedCycles: .relative
        case .d1Misses, .llMisses: .absolute
        }
    }

    /// The default threshold: 5% for time, 1% for instructions, 2% for estimated cycles, and
    /// 0.01 more misses per element (one more miss per 100 elements; an extra pass over the
    /// output adds 0.125 where it does not fit in the cache).
    public var defaultThreshold: Double {
        switch self {
        case .time: 0.05
        case .instructions: 0.01
        case .estimatedCycles: 0.02
        case .d1Misses, .llMisses: 0.01
        }
    }

    /// What the compared value is, for tables.
    public var unit: String {
        switch self {
        case .time: "estimate"
        case .instructions: "instr/call"
        case .estimatedCycles: "est. cycles/call"
        case .d1Misses: "D1 misses/element"
        case .llMisses: "LL misses/element"
        }
    }

    /// Whether the metric comes from the cache simulation.
    public var isSimulated: Bool { self == .estimatedCycles || self == .d1Misses || self == .llMisses }

    /// A deterministic metric's value for one case; nil for time, or where it was not counted.
    public func count(of c: CaseResult) -> Double? {
        switch self {
        case .time: nil
        case .instructions: c.instructions?.perCall
        case .estimatedCycles: c.simulated?.estimatedCyclesPerCall
        case .d1Misses: c.simulated?.d1MissesPerElement
        case .llMisses: c.simulated?.llMissesPerElement
        }
    }
}

/// Regression thresholds as data: a default per metric, and overrides per case-id pattern
/// (`*` matches any run of characters), the last matching override winning.
public struct Thresholds: Sendable {
    public struct Override: Sendable, Equatable {
        public var pattern: String
        public var metric: ComparisonMetric?
        public var threshold: Double

        public init(pattern: String, metric: ComparisonMetric?, threshold: Double) {
            self.pattern = pattern
            self.metric = metric
            self.threshold = threshold
        }
    }

    /// Thresholds that replace a metric's `defaultThreshold` for every case.
    public var defaults: [ComparisonMetric: Double] = [:]
    public var overrides: [Override] = []

    public init(defaults: [ComparisonMetric: Double] = [:], overrides: [Override] = []) {
        self.defaults = defaults
        self.overrides = overrides
    }

    /// The threshold of `metric` for case `id`: the last override that matches it (one without a
    /// metric matches every metric of its kind of threshold), else the metric's default.
    public func threshold(for id: String, metric: ComparisonMetric) -> Double {
        let matching = overrides.last {
            ($0.metric.map { $0 == metric } ?? (metric.thresholdKind == .relative)) && Glob.matches(id, pattern: $0.pattern)
        }
        return matching?.threshold ?? defaults[metric] ?? metric.defaultThreshold
    }

    /// Parses `PATTERN=5%` (or `PATTERN=0.05`), optionally `PATTERN=5%:time` or
    /// `PATTERN=0.02:d1_misses` (an absolute threshold, in misses per element).
    public static func parseOverride(_ text: String) -> Override? {
        guard let equals = text.lastIndex(of: "=") else { return nil }
        let pattern = String(text[..<equals])
        var value = String(text[text.index(after: equals)...])
        var metric: ComparisonMetric?
        if let colon = value.lastIndex(of: ":") {
            guard let parsed = ComparisonMetric(rawValue: String(value[value.index(after: colon)...])) else { return nil }
            metric = parsed
            value = String(value[..<colon])
        }
        guard !pattern.isEmpty, let threshold = parseFraction(value) else { return nil }
        return Override(pattern: pattern, metric: metric, threshold: threshold)
    }

    /// `5%` → 0.05; `0.05` → 0.05. Nil unless it is in (0, 10).
    public static func parseFraction(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast()).map { $0 / 100 } : Double(trimmed)
        guard let value, value > 0, value < 10 else { return nil }
        return value
    }

    /// Reads overrides from a file: one `PATTERN THRESHOLD [METRIC]` per line, `#` comments.
    public static func parseConfig(_ text: String) throws -> [Override] {
        var overrides: [Override] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count <= 3, let threshold = parseFraction(fields.count > 1 ? fields[1] : ""),
                fields.count < 3 || ComparisonMetric(rawValue: fields[2]) != nil
            else { throw ConfigError(line: number + 1, text: String(raw)) }
            overrides.append(
                Override(
                    pattern: fields[0], metric: fields.count == 3 ? ComparisonMetric(rawValue: fields[2]) : nil,
                    threshold: threshold))
        }
        return overrides
    }

    public struct ConfigError: Error, CustomStringConvertible {
        public let line: Int
        public let text: String
        public var description: String {
            "line \(line): expected 'PATTERN THRESHOLD [\(ComparisonMetric.allCases.map(\.rawValue).joined(separator: "|"))]', got '\(text)'"
        }
    }
}

/// One case in both runs, and what the comparison says about it.
public struct CaseVerdict: Codable, Sendable {
    public enum Verdict: String, Codable, Sendable {
        case faster, slower, unchanged, inconclusive
    }

    public var id: String
    public var metric: ComparisonMetric
    /// The values compared: for time, what `measure` names (an estimate in ns or in probe units,
    /// a fraction of memcpy, or the median of the samples); the metric's count otherwise.
    public var base: Double
    public var head: Double
    /// Time only: what `base` and `head` are — an estimator's name (`fast_level`, `normalized`,
    /// …), `fraction_of_memcpy`, or `median`; nil for counts, which the metric names.
    public var measure: String? = nil
    public var ratio: Double
    /// Time only: the bootstrap interval of the ratio and the Mann–Whitney p-value.
    public var statistics: SampleComparison?
    public var threshold: Double
    public var verdict: Verdict
    /// Why, in words, with the numbers.
    public var reason: String
}

/// What a time comparison of two stored runs rests on.
public enum ComparisonBasis: String, CaseIterable, Codable, Sendable {
    /// Each case's estimate from its own run's analysis — the headline estimate where both runs
    /// head the case with the same estimator, the blocked one otherwise — and their intervals,
    /// which hold what differs between processes and stretches of a run.
    case estimates
    /// Each case's time relative to memcpy at the same n in its own run (the within-round ratio;
    /// over the rounds at the host's fast level where both runs have such rounds and left some
    /// out): a host that slows both alike cancels. Where the two runs' probes differ by more than
    /// the threshold the case is not judged, as on the other bases: at the host's level of twice
    /// the probe time, memcpy and the kernels slowed by different factors.
    case memcpy
    /// The raw samples as independent draws (the v1 way): a bootstrap of the ratio of medians and
    /// the Mann–Whitney U test. Blind to time-correlated noise; kept for comparison.
    case samples
}

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
    /// On the estimates basis, the standard error (log units) that whole runs' levels add to every
    /// case's difference (`RunLevel.betweenRuns`), from the runs' `run.run_level`; nil when neither
    /// run was given one (or on another basis: ratios within a run cancel its level).
    public var runLevelSE: Double?

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
                let betweenRuns = basis == .estimates ? RunLevel.betweenRuns(base: base, head: head) : nil
                runLevelSE = betweenRuns?.se
                let compared = pairs.map { pair -> (SampleComparison, (base: Double, head: Double, measure: String), Estimator)? in
                    guard let values = estimates(pair.base, in: base, pair.head, in: head, basis: basis) else { return nil }
                    let (b, h) = (values.base, values.head)
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
            leftOut: leftOutPatterns.isEmpty ? nil : Array(Set(leftOut)).sorted(), runLevelSE: runLevelSE)
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
    /// than `tolerance` (`HostSpeed.tolerance`: the hosts ran at different speeds); nil when they
    /// do not, or cannot be told.
    static func hostSpeeds(
        _ b: CaseResult, _ h: CaseResult, estimator: Estimator, cuts: (base: Double?, head: Double?), tolerance: Double
    ) -> (base: Double, head: Double)? {
        let base = HostSpeed.probeNs(behind: b, estimator: estimator, fastLevelCut: cuts.base)
        let head = HostSpeed.probeNs(behind: h, estimator: estimator, fastLevelCut: cuts.head)
        guard HostSpeed.shift(base: base, head: head, tolerance: tolerance) != nil, let base, let head else { return nil }
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
                "\(noiseName) ±\(percent(noise)) (half the 95% CI of the ratio) exceeds the ±\(percent(threshold)) "
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
            let (verdict, reason) = judge(
                ratio: p.ratio, ciLow: p.ci95Low, ciHigh: p.ci95High, significant: significant[k],
                threshold: threshold, interval: interval, noiseName: "round-to-round noise",
                insignificance: tooFewRounds(p.rounds, cases: cases.count))
            return CaseVerdict(
                id: c.id, metric: .time, base: Statistics.median(c.base), head: Statistics.median(c.head),
                measure: Estimator.median.rawValue, ratio: p.ratio,
                statistics: SampleComparison(ratio: p.ratio, ci95Low: p.ci95Low, ci95High: p.ci95High, pValue: p.pValue),
                threshold: threshold, verdict: verdict, reason: reason)
        }
        return RunComparison(
            metric: .time, cases: verdicts, added: added, removed: removed,
            geometricMeanRatio: geometricMean(verdicts))
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
