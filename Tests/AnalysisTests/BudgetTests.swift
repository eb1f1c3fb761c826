import Analysis
import BenchModel
import Foundation
import Testing

@Suite struct BudgetFileTests {
    @Test func aFileParsesIntoBudgets() throws {
        let text = """
            # comment line
            speedup_over_scalar   native/into/avx2/n=1000/*   >=  2.5   -- AVX2 pays off
            fraction_of_memcpy    native/into/auto/*  level=L2  <=  1.0

            time_ns native/into/scalar/* <= 1e6 # trailing comment
            """
        let budgets = try BudgetFile.parse(text)
        #expect(budgets.count == 3)
        #expect(budgets[0] == Budget(metric: .speedupOverScalar, cases: "native/into/avx2/n=1000/*", direction: .atLeast, bound: 2.5,
                                     name: "AVX2 pays off", line: 2))
        #expect(budgets[1].level == "L2" && budgets[1].direction == .atMost && budgets[1].line == 3)
        #expect(budgets[1].name == "fraction_of_memcpy of native/into/auto/* at L2 <= 1.0")
        #expect(budgets[2].bound == 1e6 && budgets[2].line == 5)
    }

    /// Every mistake names its line and field.
    @Test(arguments: [
        ("speed native/* >= 1", "line 1, field 'metric': unknown metric 'speed'"),
        ("\n\ntime_ns native/*", "line 3, field 'bound': expected METRIC CASES [level=LEVEL] OP BOUND, got 2 fields"),
        ("time_ns native/* level=L4 <= 1", "line 1, field 'level': unknown level 'L4' (known: L1, L2, L3, DRAM)"),
        ("time_ns native/* < 1", "line 1, field 'op': '<' is not <= or >="),
        ("time_ns native/* <= fast", "line 1, field 'bound': 'fast' is not a number"),
        ("time_ns native/* <= inf", "line 1, field 'bound': 'inf' is not a number"),
        ("time_ns native/* <= 1 2", "line 1, field 'bound': unexpected '2' after the bound"),
    ])
    func mistakesNameTheLineAndField(text: String, message: String) {
        let error = #expect(throws: BudgetFile.ParseError.self) { try BudgetFile.parse(text) }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "no error")")
    }

    @Test func theProjectsOwnBudgetsParse() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Reports/budgets/jsa-bench.budgets").path
        let budgets = try BudgetFile.parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(budgets.count >= 8)
    }
}

@Suite struct BudgetVerdictTests {
    func budget(_ direction: Budget.Direction, _ bound: Double) -> Budget {
        Budget(metric: .timeNs, cases: "*", direction: direction, bound: bound)
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
            syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100),
        ])
        Analysis.analyze(&document)
        let all = Budget(metric: .timeNs, cases: "native/into/*", direction: .atMost, bound: 200)
        let verdict = BudgetEvaluation.evaluate(all, on: document)
        #expect(verdict.verdict == .missed && verdict.figures.count == 2)
        let avx2 = BudgetEvaluation.evaluate(Budget(metric: .timeNs, cases: "native/into/avx2/*", direction: .atMost, bound: 200),
                                             on: document)
        #expect(avx2.verdict == .met)
        let none = BudgetEvaluation.evaluate(Budget(metric: .timeNs, cases: "python/*", direction: .atMost, bound: 1), on: document)
        #expect(none.verdict == .notMeasured && none.figures.isEmpty)
        let ratio = BudgetEvaluation.evaluate(Budget(metric: .speedupOverScalar, cases: "native/into/avx2/*", direction: .atLeast,
                                                     bound: 3.5), on: document)
        #expect(ratio.verdict == .met && abs(ratio.figures[0].estimate.value - 4) < 1e-9)
    }
}
