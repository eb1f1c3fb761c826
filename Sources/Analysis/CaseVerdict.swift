import Statistics

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
    /// Way (b) only: how the rounds' ratios spread against each build's samples within a round.
    public var roundSpreads: RoundSpreads? = nil

    enum CodingKeys: String, CodingKey {
        case id, metric, base, head, measure, ratio, statistics, threshold, verdict, reason
        case roundSpreads = "round_spreads"
    }
}
