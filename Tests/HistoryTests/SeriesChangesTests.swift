import Analysis
import BenchModel
import Foundation
import Reporting
import SeededRandom
@testable import Statistics
import Testing

@Suite struct SeriesChangesTests {
    func history(_ values: [Double]) -> CaseHistory {
        CaseHistory(
            caseID: "native/into/avx2/n=1000/p=30", machine: MachineFingerprint(HistoryFixture.environment()),
            points: values.enumerated().map { k, v in
                HistoryPoint(
                    runKey: "r\(k)", startedAt: "2026-12-01T00:00:\(k)Z", commit: "c\(k)", value: v, ci95Low: v * 0.98, ci95High: v * 1.02,
                    estimator: "blocked")
            })
    }

    func noisy(_ count: Int, center: Double, cv: Double, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in center * (1 + cv * random.nextGaussian()) }
    }

    @Test func aStepIsFoundAtItsCommitWithItsSize() throws {
        let values = noisy(20, center: 100, cv: 0.01, seed: 1) + noisy(20, center: 110, cv: 0.01, seed: 2)
        let changes = SeriesChanges.detect(history(values))
        let step = try #require(changes.only)
        #expect(step.index == 20)
        #expect(step.commitBefore == "c19" && step.commitAfter == "c20")
        #expect(abs(step.ratio - 1.10) < 0.01)
        #expect(step.ci95Low > 1.05 && step.ci95High < 1.15)
        #expect(step.pValue <= 0.01)
    }

    @Test func flatNoiseHasNoStep() {
        for seed in UInt64(1)...5 {
            #expect(SeriesChanges.detect(history(noisy(40, center: 100, cv: 0.02, seed: seed))).isEmpty, "seed \(seed)")
        }
    }

    @Test func twoStepsAreBothFound() {
        let values =
            noisy(15, center: 100, cv: 0.01, seed: 3) + noisy(15, center: 120, cv: 0.01, seed: 4) + noisy(15, center: 90, cv: 0.01, seed: 5)
        #expect(SeriesChanges.detect(history(values)).map(\.index) == [15, 30])
    }

    @Test func theCheckFailsOnANewestRegressionOnly() throws {
        let slower = noisy(15, center: 100, cv: 0.01, seed: 6) + noisy(15, center: 108, cv: 0.01, seed: 7)
        let faster = noisy(15, center: 100, cv: 0.01, seed: 8) + noisy(15, center: 90, cv: 0.01, seed: 9)
        let verdicts = SeriesChanges.check([history(slower), history(faster), history([1, 2, 3])], threshold: 0.05)
        #expect(verdicts.map(\.verdict) == [.regression, .improvement, .tooShort])
        #expect(SeriesChanges.check([history(slower)], threshold: 0.10).map(\.verdict) == [.unchanged])
        let table = HistoryReport.checkTable(verdicts).lines(.terminal).joined(separator: "\n")
        #expect(table.contains("run 16 (c14..c15): +7.6% (95% CI +6.3%–+9.0%), p = 0.005"))
    }

    @Test func theBestSplitIsTheEnergyStatisticsMaximum() {
        // Brute force of q(τ) on a small series against the incremental computation.
        let values = noisy(14, center: 10, cv: 0.3, seed: 10)
        func q(_ tau: Int) -> Double {
            let x = values[..<tau]
            let y = values[tau...]
            let m = Double(x.count)
            let n = Double(y.count)
            var between = 0.0
            for a in x { for b in y { between += abs(a - b) } }
            var withinX = 0.0
            for i in x.indices { for k in x.indices where k > i { withinX += abs(x[i] - x[k]) } }
            var withinY = 0.0
            for i in y.indices { for k in y.indices where k > i { withinY += abs(y[i] - y[k]) } }
            return m * n / (m + n) * (2 * between / (m * n) - withinX / (m * (m - 1) / 2) - withinY / (n * (n - 1) / 2))
        }
        let best = (3...11).max { q($0) < q($1) }!
        let split = EDivisive.bestSplit(values, minimumSegment: 3)
        #expect(split?.split == best)
        #expect(abs((split?.q ?? 0) - q(best)) < 1e-9)
    }

    @Test func theTrendChartMarksTheSteps() throws {
        let values = noisy(20, center: 100, cv: 0.01, seed: 1) + noisy(20, center: 110, cv: 0.01, seed: 2)
        let h = history(values)
        let chart = HistoryReport.chart(h, changes: SeriesChanges.detect(h))
        #expect(chart.file == "native-into-avx2-n=1000-p=30.\(h.machine.id).svg")
        #expect(chart.svg.contains("step +9.6%"))
        let summary = HistoryReport.markdown([h], changes: [SeriesChanges.detect(h)])
        #expect(summary.contains("| `native/into/avx2/n=1000/p=30` | `\(h.machine.id)` | 40 |"))
        #expect(summary.contains("run 21, c19..c20: +9.6% (95% CI +8.9%–+10.5%)"))
    }
}

extension Array {
    /// The only element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
