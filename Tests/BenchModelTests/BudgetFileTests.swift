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
        #expect(
            budgets[0]
                == Budget(
                    metric: .ratio(.speedupOverScalar), cases: "native/into/avx2/n=1000/*", direction: .atLeast, bound: 2.5,
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
        ("time_ns native/* <= 1 2", "line 1, field 'bound': unexpected '2' after the bound")
    ])
    func mistakesNameTheLineAndField(text: String, message: String) {
        let error = #expect(throws: BudgetFile.ParseError.self) { try BudgetFile.parse(text) }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "no error")")
    }

    @Test func theProjectsOwnBudgetsParse() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Reports/budgets/jsa-bench.budgets"
        ).path
        let budgets = try BudgetFile.parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(budgets.count >= 8)
    }
}

@Suite struct BudgetMetricTests {
    /// Every ratio and difference of the analysis is a budget metric under its own name, and every
    /// spelling reads back as itself: a new kind needs no second list.
    @Test func everyKindIsAMetricSpelledOnce() {
        let names = BudgetMetric.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.count == 2 + RatioEstimate.Kind.allCases.count + DifferenceEstimate.Kind.allCases.count)
        for metric in BudgetMetric.allCases { #expect(BudgetMetric(rawValue: metric.rawValue) == metric) }
        #expect(BudgetMetric(rawValue: "swift_overhead_ns") == .difference(.swiftOverhead))
        #expect(BudgetMetric(rawValue: "fraction_of_memcpy") == .ratio(.fractionOfMemcpy))
        #expect(BudgetMetric(rawValue: "time_ns") == .time)
        #expect(BudgetMetric(rawValue: "swift_overhead") == nil)
        #expect(BudgetMetric.difference(.allocationExcess).unit == "ns" && BudgetMetric.ratio(.intoOverBareC).unit == "×")
    }
}
