import SeededRandom
import Testing
@testable import Statistics

@Suite struct StatisticsTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        #expect(Statistics.median([7]) == 7)
        #expect(Statistics.median([]).isNaN)
    }

    @Test func madIsTheMedianAbsoluteDeviation() {
        // |x - 3| = 2, 1, 0, 1, 97 → median 1
        #expect(Statistics.summarize([1, 2, 3, 4, 100], seed: 1).madNs == 1)
        #expect(Statistics.summarize([5, 5, 5, 5], seed: 1).madNs == 0)
    }

    @Test func quantilesInterpolateLinearly() {
        let sorted: [Double] = [1, 2, 3, 4]
        #expect(Statistics.quantile(sorted: sorted, 0) == 1)
        #expect(Statistics.quantile(sorted: sorted, 0.25) == 1.75)
        #expect(Statistics.quantile(sorted: sorted, 0.5) == 2.5)
        #expect(Statistics.quantile(sorted: sorted, 1) == 4)
    }

    @Test func tukeyFencesCountMildAndSevereOutliers() {
        // Q1 = 3.5, Q3 = 8.5, IQR = 5: fences -4 and 16; severe beyond 23.5.
        let outliers = Statistics.tukeyOutliers(sorted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100])
        #expect(outliers.lowFenceNs == -4 && outliers.highFenceNs == 16)
        #expect(outliers.low == 0 && outliers.high == 1 && outliers.severe == 1)
        let mild = Statistics.tukeyOutliers(sorted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17])
        #expect(mild.high == 1 && mild.severe == 0)
        let low = Statistics.tukeyOutliers(sorted: [-50, 10, 11, 12, 13, 14, 15])
        #expect(low.low == 1 && low.high == 0)
    }

    @Test func meanStddevAndCV() {
        let stats = Statistics.summarize([2, 4, 4, 4, 5, 5, 7, 9], seed: 1)
        #expect(stats.meanNs == 5)
        #expect(abs(stats.stddevNs - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(abs(stats.cv - (32.0 / 7).squareRoot() / 5) < 1e-12)
        #expect(stats.minNs == 2 && stats.maxNs == 9 && stats.count == 8)
    }

    /// The sample standard deviation divides by n − 1; the robust one is 1.4826 × the MAD and
    /// ignores a far value that the plain one counts.
    @Test func plainAndRobustStandardDeviations() {
        #expect(abs(Statistics.standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]) - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(Statistics.standardDeviation([3]) == 0 && Statistics.standardDeviation([]) == 0)
        #expect(abs(Statistics.robustSD([1, 2, 3, 4, 100]) - 1.4826) < 1e-12)
        #expect(Statistics.standardDeviation([1, 2, 3, 4, 100]) > 40)
    }

    /// The interquartile range (type-7 quartiles) over the median; a far value does not move it.
    @Test func relativeInterquartileRange() {
        #expect(abs(Statistics.relativeInterquartileRange([5, 1, 3, 2, 4]) - 2.0 / 3) < 1e-12)
        #expect(abs(Statistics.relativeInterquartileRange([1, 2, 3, 4, 500]) - 2.0 / 3) < 1e-12)
        #expect(Statistics.relativeInterquartileRange([7]) == 0 && Statistics.relativeInterquartileRange([]) == 0)
    }

    @Test func singleSampleHasADegenerateInterval() {
        let stats = Statistics.summarize([42], seed: 1)
        #expect(stats.ci95LowNs == 42 && stats.ci95HighNs == 42 && stats.stddevNs == 0 && stats.cv == 0)
    }

    @Test func bootstrapIsReproducibleForASeed() {
        let samples = (0..<50).map { Double(($0 * 37) % 50) }
        let a = Statistics.bootstrapMedianInterval(samples, confidence: 0.95, resamples: 500, seed: 9)
        let b = Statistics.bootstrapMedianInterval(samples, confidence: 0.95, resamples: 500, seed: 9)
        #expect(a.low == b.low && a.high == b.high)
        #expect(a.low <= Statistics.median(samples) && Statistics.median(samples) <= a.high)
    }

    /// On synthetic data whose true median is known (uniform on [0, 1): 0.5), the 95% interval
    /// covers it in most of 200 seeded data sets, and is not trivially wide.
    @Test func bootstrapIntervalCoversTheTrueMedian() {
        var rng = SplitMix64(seed: 2026)
        var covered = 0
        var widths: [Double] = []
        for trial in 0..<200 {
            let samples = (0..<60).map { _ in Double.random(in: 0..<1, using: &rng) }
            let (low, high) = Statistics.bootstrapMedianInterval(samples, confidence: 0.95, resamples: 400, seed: UInt64(trial))
            if low <= 0.5 && 0.5 <= high { covered += 1 }
            widths.append(high - low)
        }
        #expect(covered >= 180, "covered \(covered) of 200")
        #expect(covered < 200 || Statistics.median(widths) < 0.5)
        #expect(Statistics.median(widths) > 0.05 && Statistics.median(widths) < 0.4)
    }
}
