import BenchModel
import Foundation
import Statistics

/// Statistics that are a value per round (a ratio or difference of cases sampled in that round),
/// summarized by their median over rounds, with an interval as wide as Student's t over the
/// measuring processes' own medians — or, for one process, the moving-block bootstrap over rounds.
/// Ratios (`Ratios`) and differences (`Differences`) are both this.
enum RoundMedians {
    /// For each output k, its median over the rounds at `columns` (repeats kept), NaN where no
    /// round has a value: `perRound(k, column)` is output k's value in a round, NaN when the round
    /// lacks a case it needs.
    static func medians(outputs: Int, columns: [Int], perRound: (Int, Int) -> Double) -> [Double] {
        (0..<outputs).map { k in
            let values = columns.map { perRound(k, $0) }.filter(\.isFinite)
            return values.isEmpty ? .nan : Statistics.median(values)
        }
    }

    /// Estimates with intervals; `transform` maps a median (and the interval's ends) to the value
    /// reported (`exp` for log ratios). Nil where fewer than 2 rounds had a value.
    static func estimate(
        _ table: RoundTable, outputs: Int, seed: UInt64, transform: (Double) -> Double = { $0 },
        perRound: (Int, Int) -> Double
    ) -> [IntervalEstimate?] {
        guard outputs > 0 else { return [] }
        let all = Array(table.rounds.indices)
        let values = medians(outputs: outputs, columns: all, perRound: perRound)
        let groups = table.processColumns
        let bounds: [(low: Double, high: Double)]
        if groups.count >= 2 {
            let perProcess = groups.map { medians(outputs: outputs, columns: $0, perRound: perRound) }
            bounds = (0..<outputs).map { k in
                guard let replicates = ReplicateInterval(perProcess.map { $0[k] }) else { return (.nan, .nan) }
                let half = (replicates.high - replicates.low) / 2
                return (values[k] - half, values[k] + half)
            }
        } else {
            bounds = table.layout.intervals(outputs: outputs, resamples: Analysis.resamples, seed: seed) { resample in
                medians(outputs: outputs, columns: table.columns(resample), perRound: perRound)
            }
        }
        return (0..<outputs).map { k in
            let rounds = all.filter { perRound(k, $0).isFinite }.count
            guard values[k].isFinite, bounds[k].low.isFinite, bounds[k].high.isFinite, rounds >= 2 else { return nil }
            return IntervalEstimate(
                value: transform(values[k]), ci95Low: transform(min(bounds[k].low, values[k])),
                ci95High: transform(max(bounds[k].high, values[k])))
        }
    }

    /// Rounds in which output k has a value.
    static func rounds(_ table: RoundTable, perRound: (Int) -> Double) -> Int {
        table.rounds.indices.filter { perRound($0).isFinite }.count
    }
}
