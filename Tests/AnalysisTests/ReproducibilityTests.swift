import BenchModel
import Statistics
import Testing
@testable import Analysis

@Suite struct ReproducibilityTests {
    static func estimate(_ value: Double, halfWidth: Double) -> IntervalEstimate {
        IntervalEstimate(value: value, ci95Low: value - halfWidth, ci95High: value + halfWidth)
    }

    /// A time's or a ratio's spread is read over its own mean: CV = SD / mean, widths over values.
    @Test func aSpreadIsReadOverItsOwnMean() {
        let spread = Reproducibility.spread([Self.estimate(99, halfWidth: 1), Self.estimate(101, halfWidth: 2)])
        let sd = Statistics.standardDeviation([99, 101])
        #expect(spread.sd == sd)
        #expect(abs(spread.cv - sd / 100) < 1e-12)
        #expect(abs(spread.medianHalfWidth - Statistics.median([1.0 / 99, 2.0 / 101])) < 1e-12)
        #expect(spread.coverage == 0.5)  // 99 ± 1 misses 101; 101 ± 2 holds 99
    }

    /// Three runs of a case of about 100 ns whose Swift overhead read 0.5, −0.5 and 1.0 ns: over the
    /// difference's own mean (0.33 ns) its CV would be 229%; it is read over the case's time in ns
    /// (its `blocked` estimate, not the headline in probe units), so 0.8% of the call.
    @Test func aDifferenceIsReadOverTheTimeOfItsCase() throws {
        let overheads = [0.5, -0.5, 1.0]
        let times = [99.0, 100.0, 101.0]
        let documents = zip(overheads, times).map { overhead, time in
            var c = syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: time)
            c.estimates = CaseEstimates(
                median: Self.estimate(time, halfWidth: 1), blocked: Self.estimate(time, halfWidth: 1),
                normalized: Self.estimate(0.05, halfWidth: 0.001), headline: .normalized, rounds: 20, processes: 2)
            var document = syntheticDocument(cases: [c])
            document.analysis = RunAnalysis(
                estimators: [:], speedIndex: nil, ratios: [],
                differences: [
                    DifferenceEstimate(
                        kind: .swiftOverhead, n: 1000, subject: c.id, estimate: Self.estimate(overhead, halfWidth: 1), rounds: 20)
                ])
            return document
        }
        let report = Reproducibility.report(
            documents, runs: ["run-1.json", "run-2.json", "run-3.json"], sweepArguments: [], startedAt: "", endedAt: "",
            runSeconds: [])
        let figure = try #require(report.ratios.first { $0.kind == DifferenceEstimate.Kind.swiftOverhead.rawValue })
        let sd = Statistics.standardDeviation(overheads)
        #expect(figure.spread.sd == sd)
        #expect(abs(figure.spread.cv - sd / 100) < 1e-12, "\(figure.spread.cv)")
        #expect(abs(figure.spread.medianHalfWidth - 1.0 / 100) < 1e-12)
        #expect(abs(figure.spread.coverage - 4.0 / 6) < 1e-12)  // 0.5 ± 1 holds both others; −0.5 ± 1 and 1.0 ± 1 one each
        let summary = try #require(report.summary.first { $0.name == DifferenceEstimate.Kind.swiftOverhead.rawValue })
        #expect(abs(summary.medianCV - sd / 100) < 1e-12)
    }
}
