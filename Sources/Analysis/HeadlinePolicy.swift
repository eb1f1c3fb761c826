import Results

/// Which estimator heads each case's figures.
enum HeadlinePolicy {
    static func estimator(for c: CaseResult, blocked: IntervalEstimate?, normalized: IntervalEstimate?) -> Estimator {
        blocked == nil ? .median : .blocked
    }
}
