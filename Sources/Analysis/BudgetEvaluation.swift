import BenchModel

/// Budgets judged on an analysed run: every case a budget is about, its estimate of the budget's
/// metric and the whole interval's position against the bound.
public enum BudgetEvaluation {
    public static func evaluate(_ budgets: [Budget], on document: ResultsDocument) -> [BudgetVerdict] {
        budgets.map { evaluate($0, on: document) }
    }

    public static func evaluate(_ budget: Budget, on document: ResultsDocument) -> BudgetVerdict {
        let figures = document.cases.filter { budget.applies(to: $0.id, level: $0.level) }.compactMap { c -> BudgetVerdict.Figure? in
            guard let estimate = estimate(budget.metric, of: c, in: document) else { return nil }
            return BudgetVerdict.Figure(id: c.id, estimate: estimate, verdict: Self.verdict(of: estimate, against: budget))
        }
        let verdicts = figures.map(\.verdict)
        let verdict: BudgetVerdict.Verdict =
            figures.isEmpty
            ? .notMeasured
            : verdicts.contains(.missed) ? .missed : verdicts.allSatisfy { $0 == .met } ? .met : .withinNoise
        return BudgetVerdict(budget: budget, verdict: verdict, figures: figures)
    }

    /// Met when the whole interval is on the good side, missed when it is wholly on the wrong side.
    public static func verdict(of estimate: IntervalEstimate, against budget: Budget) -> BudgetVerdict.Verdict {
        switch budget.direction {
        case .atMost:
            return estimate.ci95High <= budget.bound ? .met : estimate.ci95Low > budget.bound ? .missed : .withinNoise
        case .atLeast:
            return estimate.ci95Low >= budget.bound ? .met : estimate.ci95High < budget.bound ? .missed : .withinNoise
        }
    }

    /// The case's figure for `metric`, where the run has one.
    static func estimate(_ metric: BudgetMetric, of c: CaseResult, in document: ResultsDocument) -> IntervalEstimate? {
        switch metric {
        case .time: c.estimates?.blocked
        case .normalized: c.estimates?.normalized
        case .ratio(let kind): document.analysis?.ratio(kind, of: c.id)?.headline
        case .difference(let kind): document.analysis?.difference(kind, of: c.id)?.estimate
        }
    }
}
