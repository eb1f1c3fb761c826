import Foundation
import SeededRandom

/// Two sample sets of one case compared: the ratio of medians with a bootstrap interval, and the
/// Mann–Whitney U test's two-sided p-value. Computed here, with the rest of the statistics.
public struct SampleComparison: Codable, Hashable, Sendable {
    /// median(head) / median(base).
    public var ratio: Double
    /// Percentile-bootstrap 95% interval of the ratio of medians (base and head resampled
    /// independently).
    public var ci95Low: Double
    public var ci95High: Double
    /// Two-sided p-value: of the Mann–Whitney U test (normal approximation with tie correction)
    /// for samples, of a normal test on the log ratio for two estimates with intervals.
    public var pValue: Double

    public init(ratio: Double, ci95Low: Double, ci95High: Double, pValue: Double) {
        self.ratio = ratio
        self.ci95Low = ci95Low
        self.ci95High = ci95High
        self.pValue = pValue
    }

    enum CodingKeys: String, CodingKey {
        case ratio
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
        case pValue = "p_value"
    }

    /// Above `Statistics.bootstrapSampleLimit` samples per side, the bootstrap and the rank test
    /// run on a seeded subsample of that many (the ratio itself is of the full medians): their cost
    /// stays bounded, and so many samples carry no more information about a ratio than that.
    public static func compare(base: [Double], head: [Double], seed: UInt64, resamples: Int = 2000) -> SampleComparison {
        let ratio = Statistics.median(head) / Statistics.median(base)
        var rng = SplitMix64(seed: seed)
        let limit = Statistics.bootstrapSampleLimit
        let base = base.count > limit ? (0..<limit).map { _ in base[Int.random(in: 0..<base.count, using: &rng)] } : base
        let head = head.count > limit ? (0..<limit).map { _ in head[Int.random(in: 0..<head.count, using: &rng)] } : head
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        var a = base
        var b = head
        for _ in 0..<resamples {
            for i in a.indices { a[i] = base[Int.random(in: 0..<base.count, using: &rng)] }
            for i in b.indices { b[i] = head[Int.random(in: 0..<head.count, using: &rng)] }
            ratios.append(Statistics.median(b) / Statistics.median(a))
        }
        ratios.sort()
        return SampleComparison(
            ratio: ratio, ci95Low: Statistics.quantile(sorted: ratios, 0.025), ci95High: Statistics.quantile(sorted: ratios, 0.975),
            pValue: mannWhitneyP(base, head))
    }

    /// Two estimates, each with its own 95% interval (from independent runs), compared: the ratio
    /// head / base, its 95% interval and the two-sided p-value of log ratio = 0 — Welch's test on
    /// the log estimates.
    ///
    /// An interval with `degreesOfFreedom` is Student's t over that many + 1 replicates (the
    /// measuring processes, `ReplicateInterval`), so its log half-width over t(0.975, df) is its
    /// standard error; one without (a bootstrap interval) is taken as normal. The difference's
    /// standard error adds the two in quadrature and gets the Welch–Satterthwaite degrees of
    /// freedom. Adding the half-widths themselves in quadrature, as if both were normal, widens
    /// the interval of two 4-process runs by t(3) / t(6) = 1.30×.
    ///
    /// `betweenRuns` is what neither interval holds: the standard error (log units) that whole runs
    /// add to the difference of two runs' estimates, with its degrees of freedom (nil: known) — a
    /// third term of the sum.
    public static func compareIntervals(
        base: (value: Double, low: Double, high: Double),
        head: (value: Double, low: Double, high: Double),
        baseDegreesOfFreedom: Double? = nil, headDegreesOfFreedom: Double? = nil,
        betweenRuns: (se: Double, df: Double?)? = nil
    ) -> SampleComparison {
        func critical(_ df: Double?) -> Double {
            df.map { StudentT.quantile(0.975, df: $0) } ?? Statistics.z975
        }
        let seBase = (log(base.high) - log(base.low)) / 2 / critical(baseDegreesOfFreedom)
        let seHead = (log(head.high) - log(head.low)) / 2 / critical(headDegreesOfFreedom)
        let terms = [(seBase, baseDegreesOfFreedom), (seHead, headDegreesOfFreedom)] + (betweenRuns.map { [$0] } ?? [])
        let se = terms.reduce(0) { $0 + $1.0 * $1.0 }.squareRoot()
        let df = welchDegreesOfFreedom(terms)
        let half = critical(df) * se
        let logRatio = log(head.value) - log(base.value)
        let p: Double
        if se > 0 {
            p = df.map { 2 * StudentT.cdf(-abs(logRatio) / se, df: $0) } ?? erfc(abs(logRatio) / se / 2.squareRoot())
        } else {
            p = logRatio == 0 ? 1 : 0
        }
        return SampleComparison(ratio: exp(logRatio), ci95Low: exp(logRatio - half), ci95High: exp(logRatio + half), pValue: min(1, p))
    }

    /// The Welch–Satterthwaite degrees of freedom of a sum of independent terms, each a standard
    /// error with its degrees of freedom (nil: known, infinite); nil when every term is known or
    /// the sum is 0.
    static func welchDegreesOfFreedom(_ terms: [(se: Double, df: Double?)]) -> Double? {
        guard terms.contains(where: { $0.df != nil }) else { return nil }
        let variance = terms.reduce(0) { $0 + $1.se * $1.se }
        let denominator = terms.reduce(0) { sum, term in term.df.map { sum + pow(term.se, 4) / $0 } ?? sum }
        guard variance > 0, denominator > 0 else { return nil }
        return variance * variance / denominator
    }

    /// Two-sided p-value of the Mann–Whitney U test: normal approximation with continuity and tie
    /// corrections (adequate from about 8 samples per side; exact tables are not used).
    public static func mannWhitneyP(_ x: [Double], _ y: [Double]) -> Double {
        let n1 = Double(x.count)
        let n2 = Double(y.count)
        guard n1 > 0, n2 > 0 else { return 1 }
        let pooled = (x.map { ($0, 0) } + y.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: pooled.count)
        var tieTerm = 0.0
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[k] = rank }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let r1 = zip(pooled, ranks).filter { $0.0.1 == 0 }.reduce(0) { $0 + $1.1 }
        let u1 = r1 - n1 * (n1 + 1) / 2
        let mean = n1 * n2 / 2
        let n = n1 + n2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return 1 }
        let z = (abs(u1 - mean) - 0.5) / variance.squareRoot()
        return min(1, erfc(max(z, 0) / 2.squareRoot()))
    }
}

/// Paired runs of two builds (A B B A ...): one ratio per round, judged without assuming the
/// rounds are alike — the spread between rounds is the noise.
/// One case timed on two builds in paired rounds: per round, the typical ns per call of each.
public struct PairedCase: Hashable, Sendable {
    public var id: String
    public var base: [Double]
    public var head: [Double]
    /// Per round, how widely each build's own samples of the round spread
    /// (`Statistics.relativeInterquartileRange`); empty where they were not kept.
    public var baseSpreads: [Double]
    public var headSpreads: [Double]

    public init(id: String, base: [Double], head: [Double], baseSpreads: [Double] = [], headSpreads: [Double] = []) {
        self.id = id
        self.base = base
        self.head = head
        self.baseSpreads = baseSpreads
        self.headSpreads = headSpreads
    }

    /// HEAD/BASE per round.
    public var ratios: [Double] { zip(head, base).map { $0 / $1 } }

    /// How the rounds' ratios spread against how the samples within the rounds do; nil without
    /// the within-round spreads or with fewer than four rounds.
    public var spreads: RoundSpreads? {
        let within = baseSpreads + headSpreads
        guard ratios.count >= 4, !within.isEmpty else { return nil }
        return RoundSpreads(
            ofRatios: Statistics.relativeInterquartileRange(ratios), withinRounds: Statistics.median(within))
    }
}

/// Where the noise of paired rounds comes from: the rounds' HEAD/BASE ratios against each build's
/// samples within a round, both as interquartile ranges over their medians.
///
/// A round's ratio is of two medians of a few samples each, taken from one pair of fresh workers.
/// Were the samples all that moved, the ratios would spread by less than the samples do (the
/// median of 9 normal samples over another's spreads by about 0.7 of one round's samples, in
/// simulation); ratios spreading by `workerFactor` times the samples' say that the pairs of
/// workers themselves differ — most often in where each one's buffers lie: at n = 100000 on the
/// Intel Xeon guest of family 6 model 0xCF (L2 2 MiB; 2026-12-06) one build's per-round medians
/// spread by a CV of 9–26% while its samples within a round spread by 3.4% (the median
/// interquartile range), and on 2 MiB pages the same gates' ratios held within ±0.6%
/// (`scripts/page-colours` relates a process's pages to its time). More rounds narrow such an
/// interval; more samples per round do not.
public struct RoundSpreads: Codable, Hashable, Sendable {
    /// The interquartile range of the per-round ratios over their median.
    public var ofRatios: Double
    /// The median, over the rounds and both builds, of the interquartile range of a build's
    /// samples in a round over their median.
    public var withinRounds: Double

    /// How many times the samples' spread the ratios' must reach to lay the noise on the workers.
    public static let workerFactor = 3.0
    /// The fewest samples per build and round whose quartiles say how widely they spread.
    public static let minimumSamples = 4

    enum CodingKeys: String, CodingKey {
        case ofRatios = "of_ratios"
        case withinRounds = "within_rounds"
    }

    public init(ofRatios: Double, withinRounds: Double) {
        self.ofRatios = ofRatios
        self.withinRounds = withinRounds
    }

    /// Whether the rounds differ by far more than their samples: the workers differ.
    public var workersDiffer: Bool { ofRatios >= Self.workerFactor * withinRounds && ofRatios > 0 }
}

public struct PairedComparison: Codable, Hashable, Sendable {
    /// exp(median log ratio): the typical HEAD/BASE ratio over the rounds (a median, so one round
    /// disturbed by the machine cannot move it far).
    public var ratio: Double
    /// Percentile-bootstrap 95% interval of that ratio (resampling rounds).
    public var ci95Low: Double
    public var ci95High: Double
    /// Two-sided sign test p-value: how often HEAD was slower than BASE in a round.
    public var pValue: Double
    public var rounds: Int

    enum CodingKeys: String, CodingKey {
        case ratio
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
        case pValue = "p_value"
        case rounds
    }

    /// `ratios[k]` = HEAD/BASE in round k.
    public static func compare(ratios: [Double], seed: UInt64, resamples: Int = 2000) -> PairedComparison {
        let logs = ratios.filter { $0 > 0 && $0.isFinite }.map(log)
        guard !logs.isEmpty else { return PairedComparison(ratio: .nan, ci95Low: .nan, ci95High: .nan, pValue: 1, rounds: 0) }
        var rng = SplitMix64(seed: seed)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        var resample = logs
        for _ in 0..<resamples {
            for i in resample.indices { resample[i] = logs[Int.random(in: 0..<logs.count, using: &rng)] }
            medians.append(Statistics.median(resample))
        }
        medians.sort()
        return PairedComparison(
            ratio: exp(Statistics.median(logs)), ci95Low: exp(Statistics.quantile(sorted: medians, 0.025)),
            ci95High: exp(Statistics.quantile(sorted: medians, 0.975)), pValue: signTestP(logs), rounds: logs.count)
    }

    /// The fewest non-zero values with which the two-sided exact sign test can reach `alpha` at
    /// all — when every one has the same sign, p = 2 / 2^n: 6 at 0.05, 9 at 0.05 / 12.
    public static func signTestMinimumCount(alpha: Double) -> Int {
        guard alpha > 0 else { return Int.max }
        var n = 1
        while 2 / pow(2, Double(n)) > alpha { n += 1 }
        return n
    }

    /// Two-sided exact sign test on the signs of `values` (zeros dropped).
    public static func signTestP(_ values: [Double]) -> Double {
        let positive = values.filter { $0 > 0 }.count
        let n = positive + values.filter { $0 < 0 }.count
        guard n > 0 else { return 1 }
        let k = min(positive, n - positive)
        var tail = 0.0
        var binomial = 1.0  // C(n, 0)
        for i in 0...k {
            if i > 0 { binomial = binomial * Double(n - i + 1) / Double(i) }
            tail += binomial
        }
        return min(1, 2 * tail / pow(2, Double(n)))
    }
}
