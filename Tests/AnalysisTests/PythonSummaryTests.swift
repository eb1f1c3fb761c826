import BenchModel
import Foundation
import Measurement
import Statistics
import Testing
@testable import Analysis

@Suite struct PythonSummaryTests {
    /// The rungs of one size, with made-up medians (ns per loop iteration).
    func ladder(n: Int, native: Double, jsaOut: Double, faults: Double = 0) -> [CaseResult] {
        let medians: [(String, Double)] = [
            ("native_out", native), ("empty_loop", 10), ("noop", 30), ("acquire_out", 38), ("numpy_empty", 110),
            ("jsa_out", jsaOut), ("jsa", jsaOut + 100), ("jsa_copy", jsaOut + 200), ("numpy_baseline", 20 * jsaOut),
            ("numpy_naive", 15 * jsaOut)
        ]
        return medians.map { variant, median in
            syntheticCase(
                family: "python", variant: variant, kernel: nil, n: n, medianNs: median,
                faults: variant == "jsa" ? faults : 0)
        }
    }

    /// Every rung runs in a Python `for` loop; the call's overhead leaves that loop out.
    @Test func overheadsLeaveOutTheLoopAndSplitTheCall() throws {
        let summary = try #require(PythonSummary.summarize(ladder(n: 1000, native: 90, jsaOut: 130), n: 1000))
        #expect(summary.emptyLoopNs == 10)
        #expect(summary.overheadOutNs == 40 && summary.overheadAllocNs == 140)  // per loop iteration, minus native
        #expect(summary.callOverheadOutNs == 30)  // 130 − 10 (loop) − 90 (native)
        #expect(summary.callOverheadAllocNs == 130)  // 230 − 10 − 90
        #expect(summary.overheadOutFraction == 40.0 / 130 && summary.callOverheadOutFraction == 30.0 / 120)
        #expect(summary.callAndParsingNs == 20 && summary.bufferAcquisitionNs == 8 && summary.outputAllocationNs == 100)
        #expect(summary.speedupOverNumpy == 20 && summary.speedupOverNaiveNumpy == 15 * 130 / 230)
        #expect(summary.copyToDirectSavingPercent == 100 * 100 / 330.0)
        #expect(summary.allocToOutSavingPercent == 100 * 100 / 230.0)
    }

    @Test func aMissingRungGivesNoSummary() {
        let rungs = ladder(n: 1000, native: 90, jsaOut: 130).filter { $0.variant != "noop" }
        #expect(PythonSummary.summarize(rungs, n: 1000) == nil)
    }

    /// The smallest size from which every larger measured size stays under 5%.
    @Test func overheadUnder5PercentFromTheLastCrossing() throws {
        let sizes = try [(1000, 130.0), (10_000, 1_160.0), (100_000, 11_100.0), (1_000_000, 100_050.0)].map { n, jsaOut in
            try #require(PythonSummary.summarize(ladder(n: n, native: jsaOut - 50, jsaOut: jsaOut), n: n))
        }
        // Overheads (40 ns) against calls of 120 ns, 1.15 µs, 11.09 µs, 100.04 µs: under 5% from n = 10000.
        let shares = sizes.map { ($0.n, $0.callOverheadOutFraction) }
        #expect(PythonReport.overheadUnder5PercentFrom(shares) == 10_000)
        #expect(PythonReport.overheadUnder5PercentFrom(Array(shares.prefix(1))) == nil)
        // A size above 5% between two below it: from the one after it.
        #expect(PythonReport.overheadUnder5PercentFrom([(1000, 0.01), (2000, 0.07), (4000, 0.02), (8000, 0.01)]) == 4000)
    }
}
