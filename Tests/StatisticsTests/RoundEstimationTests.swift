import Foundation
import SeededRandom
import Testing
@testable import Statistics

@Suite struct MedianPolishTests {
    /// A table that is exactly overall + row + column is fitted exactly, whatever the columns do.
    @Test func anAdditiveTableIsFittedExactly() {
        let rows: [Double] = [1, 2, 4]
        let columns: [Double] = [0, 0.7, -0.3, 0.7, 0.1]
        let table = rows.map { r in columns.map { c in 10 + r + c } }
        let fit = MedianPolish(table)
        for (r, row) in rows.enumerated() {
            #expect(abs(fit.level(ofRow: r) - (fit.level(ofRow: 0) + row - rows[0])) < 1e-12)
        }
        let differences = zip(fit.columnEffects, columns).map { $0 - $1 }
        #expect(differences.allSatisfy { abs($0 - differences[0]) < 1e-12 })
    }

    /// Round effects are removed: two cases in rounds that switch between two speed levels keep
    /// their ratio exactly, and each row's level is its time at the median round.
    @Test func roundEffectsAreRemovedAndHolesAreAllowed() {
        let speed = [0.0, 0.0, log(2.0), log(2.0), 0.0, log(2.0), 0.0]
        var table = [speed.map { log(100) + $0 }, speed.map { log(300) + $0 }]
        table[1][2] = .nan  // a case that missed a round
        let fit = MedianPolish(table)
        #expect(abs(exp(fit.level(ofRow: 1) - fit.level(ofRow: 0)) - 3) < 1e-9)
        #expect(abs(exp(fit.level(ofRow: 0)) - 100) < 1e-9)  // four of seven rounds ran at the fast level
    }
}

@Suite struct RoundLayoutTests {
    @Test func theLayoutGroupsRoundsByProcessInOrder() {
        let layout = RoundLayout(rounds: [5, 0, 1, 4, 2, 3, 1], processes: [2, 0, 0, 2, 1, 1, 0])
        #expect(layout.processes == [[0, 1], [2, 3], [4, 5]])
        #expect(layout.rounds == [0, 1, 2, 3, 4, 5])
    }

    @Test func aResampleKeepsTheShapeAndDrawsOnlyItsRounds() {
        let layout = RoundLayout(processes: [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]])
        var rng = SplitMix64(seed: 3)
        for _ in 0..<100 {
            let drawn = layout.resample(using: &rng)
            #expect(drawn.count == 15)
            #expect(drawn.allSatisfy { (0...14).contains($0) })
        }
        #expect(RoundLayout.blockLength(1) == 1 && RoundLayout.blockLength(8) == 2 && RoundLayout.blockLength(27) == 3)
    }

    /// The interval of the mean of N rounds, from `resamples` resamples of one process.
    func halfWidth(_ values: [Double], seed: UInt64) -> Double {
        let layout = RoundLayout(processes: [Array(values.indices)])
        let interval = layout.intervals(outputs: 1, resamples: 2000, seed: seed) { rounds in
            [rounds.map { values[$0] }.reduce(0, +) / Double(rounds.count)]
        }[0]
        return (interval.high - interval.low) / 2
    }

    /// Under independent noise the block bootstrap gives the textbook width; under strongly
    /// autocorrelated noise (an AR(1) with φ = 0.8: whole stretches slow or fast) of the same
    /// marginal variance it gives a wider interval, as the correlated series carries less
    /// information. Averaged over 40 seeded series of 200 rounds each.
    @Test func blocksWidenIntervalsUnderTimeCorrelatedNoiseAndNotUnderIndependentNoise() {
        var rng = SplitMix64(seed: 11)
        let rounds = 200
        var independent: [Double] = []
        var correlated: [Double] = []
        for series in 0..<40 {
            let white = (0..<rounds).map { _ in rng.nextGaussian() }
            var ar = [rng.nextGaussian()]
            for _ in 1..<rounds { ar.append(0.8 * ar.last! + 0.6 * rng.nextGaussian()) }  // marginal variance 1
            independent.append(halfWidth(white, seed: UInt64(series)))
            correlated.append(halfWidth(ar, seed: UInt64(series)))
        }
        let textbook = 1.96 / Double(rounds).squareRoot()
        let white = Statistics.median(independent)
        #expect(abs(white / textbook - 1) < 0.15, "independent: \(white) against \(textbook)")
        #expect(Statistics.median(correlated) > 1.4 * white, "correlated: \(Statistics.median(correlated)) against \(white)")
    }

    /// Resampling processes carries the between-process spread into the interval: three processes
    /// whose levels differ by a process effect give a wider interval than the rounds alone.
    @Test func processesWidenIntervalsByTheirSpread() {
        var rng = SplitMix64(seed: 5)
        let offsets = [-0.1, 0.0, 0.1]
        let values = (0..<30).map { round in offsets[round / 10] + 0.01 * rng.nextGaussian() }
        let byProcess = RoundLayout(processes: [Array(0..<10), Array(10..<20), Array(20..<30)])
        let asOne = RoundLayout(processes: [Array(0..<30)])
        func width(_ layout: RoundLayout) -> Double {
            let i = layout.intervals(outputs: 1, resamples: 2000, seed: 1) { r in [r.map { values[$0] }.reduce(0, +) / Double(r.count)] }[0]
            return i.high - i.low
        }
        #expect(width(byProcess) > 1.2 * width(asOne))
    }
}

@Suite struct TwoLevelFitTests {
    @Test func twoSpeedLevelsAreFound() throws {
        var rng = SplitMix64(seed: 2)
        // 60% of rounds at 1.5 µs, 40% at 2.7 µs (1.8×), each level with 3% noise, in runs.
        var values: [Double] = []
        for stretch in 0..<10 {
            let level = stretch % 5 < 3 ? log(1500.0) : log(2700.0)
            for _ in 0..<12 { values.append(level + 0.03 * rng.nextGaussian()) }
        }
        let fit = try #require(TwoLevelFit(values))
        #expect(fit.isBimodal)
        #expect(abs(exp(fit.means.low) / 1500 - 1) < 0.02 && abs(exp(fit.means.high) / 2700 - 1) < 0.02)
        #expect(abs(fit.weights.low - 0.6) < 0.02)
    }

    /// Where a reading is as likely from either level: between the means, and there the two
    /// weighted densities agree.
    @Test func theBoundaryIsWhereEitherLevelIsAsLikely() throws {
        var rng = SplitMix64(seed: 5)
        let values = (0..<200).map { k in (k % 10 < 7 ? log(2000.0) + 0.01 * rng.nextGaussian() : log(2700.0) + 0.1 * rng.nextGaussian()) }
        let fit = try #require(TwoLevelFit(values))
        let boundary = try #require(fit.boundary)
        #expect(fit.means.low < boundary && boundary < fit.means.high)
        let low = log(fit.weights.low) + TwoLevelFit.logDensity(boundary, mean: fit.means.low, sd: fit.deviations.low)
        let high = log(fit.weights.high) + TwoLevelFit.logDensity(boundary, mean: fit.means.high, sd: fit.deviations.high)
        #expect(abs(low - high) < 1e-6)
        // A tight fast level and a broad slow one: the boundary lies a few of the tight level's
        // standard deviations above it, far below the slow level.
        #expect(exp(boundary) > 2000 * 1.01 && exp(boundary) < 2000 * 1.1, "\(exp(boundary))")
    }

    @Test func oneLevelIsNotCalledTwo() throws {
        for seed in UInt64(0)..<20 {
            var rng = SplitMix64(seed: seed)
            let values = (0..<120).map { _ in log(1500.0) + 0.05 * rng.nextGaussian() }
            let fit = try #require(TwoLevelFit(values))
            #expect(!fit.isBimodal, "seed \(seed): ΔBIC \(fit.bicAdvantage), D \(fit.separation)")
        }
    }

    @Test func aFewOutliersAreNotASecondLevel() throws {
        var rng = SplitMix64(seed: 9)
        var values = (0..<120).map { _ in log(1500.0) + 0.02 * rng.nextGaussian() }
        values[10] = log(3000)
        values[70] = log(3100)
        #expect(try #require(TwoLevelFit(values)).isBimodal == false)
        #expect(TwoLevelFit([1, 2, 3]) == nil)
    }
}
