import BenchModel
import Statistics

/// A step in one case's history: where E-Divisive found it, between which commits, and how large
/// it is.
public struct SeriesChange: Codable, Hashable, Sendable {
    /// The index (in the series) of the first run after the step.
    public var index: Int
    /// The last commit before the step and the first after it: the range to look in.
    public var commitBefore: String?
    public var commitAfter: String?
    /// Median of the runs after the step (up to the next step) over the median of those before
    /// it (back to the previous step), with a 95% bootstrap interval.
    public var ratio: Double
    public var ci95Low: Double
    public var ci95High: Double
    /// The permutation test's p-value.
    public var pValue: Double

    enum CodingKeys: String, CodingKey {
        case index
        case commitBefore = "commit_before"
        case commitAfter = "commit_after"
        case ratio
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
        case pValue = "p_value"
    }
}

/// Change-point detection over case histories, and the check that fails on a regression.
public enum SeriesChanges {
    /// The steps of `history`'s estimates, oldest first.
    public static func detect(_ history: CaseHistory, options: EDivisive.Options = .init()) -> [SeriesChange] {
        let values = history.points.map(\.value)
        let points = EDivisive.detect(values, options: options)
        let bounds = [0] + points.map(\.index) + [values.count]
        return points.enumerated().map { k, point in
            let before = Array(values[bounds[k]..<point.index])
            let after = Array(values[point.index..<bounds[k + 2]])
            let size = SampleComparison.compare(base: before, head: after, seed: options.seed)
            return SeriesChange(
                index: point.index, commitBefore: history.points[point.index - 1].commit,
                commitAfter: history.points[point.index].commit, ratio: size.ratio, ci95Low: size.ci95Low,
                ci95High: size.ci95High, pValue: point.pValue)
        }
    }

    /// What `history check` says of one series.
    public struct CheckVerdict: Codable, Hashable, Sendable {
        public enum Verdict: String, Codable, Sendable {
            /// The newest step is slower beyond the threshold, its interval above 1.
            case regression
            /// The newest step is faster beyond the threshold.
            case improvement
            /// No step, or a newest step within the threshold.
            case unchanged
            /// Too few runs to test (fewer than two minimum segments).
            case tooShort = "too_short"
        }

        public var caseID: String
        public var machine: String
        public var runs: Int
        public var newest: SeriesChange?
        public var verdict: Verdict

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id"
            case machine, runs, newest, verdict
        }
    }

    /// The verdict on each history: its newest step against `threshold` (a fraction).
    public static func check(_ histories: [CaseHistory], threshold: Double, options: EDivisive.Options = .init()) -> [CheckVerdict] {
        histories.map { history in
            let runs = history.points.count
            guard runs >= 2 * max(2, options.minimumSegment) else {
                return CheckVerdict(caseID: history.caseID, machine: history.machine.id, runs: runs, newest: nil, verdict: .tooShort)
            }
            let newest = detect(history, options: options).last
            let verdict: CheckVerdict.Verdict
            switch newest {
            case let step? where step.ratio - 1 > threshold && step.ci95Low > 1: verdict = .regression
            case let step? where 1 - step.ratio > threshold && step.ci95High < 1: verdict = .improvement
            default: verdict = .unchanged
            }
            return CheckVerdict(caseID: history.caseID, machine: history.machine.id, runs: runs, newest: newest, verdict: verdict)
        }
    }
}
