import Analysis
import BenchModel
import Foundation
import Testing

@Suite struct BudgetVerdictTests {
    func budget(_ direction: Budget.Direction, _ bound: Double) -> Budget {
        Budget(metric: .time, cases: "*", direction: direction, bound: bound)
    }

    /// Met, missed or within noise by where the whole interval lies — never by the value alone.
    @Test func theIntervalDecides() {
        let estimate = IntervalEstimate(value: 100, ci95Low: 95, ci95High: 106)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atMost, 110)) == .met)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atMost, 90)) == .missed)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atMost, 101)) == .withinNoise)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atMost, 99)) == .withinNoise)  // value above, interval straddles
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atLeast, 90)) == .met)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atLeast, 110)) == .missed)
        #expect(BudgetEvaluation.verdict(of: estimate, against: budget(.atLeast, 100)) == .withinNoise)
    }

    @Test func aBudgetOverSeveralCasesIsAsBadAsItsWorst() {
        var document = syntheticDocument(cases: [
            syntheticCase(family: "native", variant: "into", kernel: "scalar", medianNs: 400),
            syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)
        ])
        Analysis.analyze(&document)
        let all = Budget(metric: .time, cases: "native/into/*", direction: .atMost, bound: 200)
        let verdict = BudgetEvaluation.evaluate(all, on: document)
        #expect(verdict.verdict == .missed && verdict.figures.count == 2)
        let avx2 = BudgetEvaluation.evaluate(
            Budget(metric: .time, cases: "native/into/avx2/*", direction: .atMost, bound: 200),
            on: document)
        #expect(avx2.verdict == .met)
        let none = BudgetEvaluation.evaluate(Budget(metric: .time, cases: "python/*", direction: .atMost, bound: 1), on: document)
        #expect(none.verdict == .notMeasured && none.figures.isEmpty)
        let ratio = BudgetEvaluation.evaluate(
            Budget(
                metric: .ratio(.speedupOverScalar), cases: "native/into/avx2/*", direction: .atLeast,
                bound: 3.5), on: document)
        #expect(ratio.verdict == .met && abs(ratio.figures[0].estimate.value - 4) < 1e-9)
    }
}
