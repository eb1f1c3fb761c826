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
