import Foundation
import SeededRandom

/// How the rounds of one size were taken: by which process, in which order. The unit of
/// resampling is the round (every case got one sample in it), never the single sample, and rounds
/// are resampled within their process and in blocks of neighbours — so that a stretch of time in
/// which the host ran slow, or a process whose buffers landed badly, widens the interval instead of
/// hiding in it.
public struct RoundLayout: Hashable, Sendable {
    /// The rounds of each process, in the order they were taken.
    public let processes: [[Int]]

    public init(processes: [[Int]]) {
        self.processes = processes.filter { !$0.isEmpty }
    }

    /// The layout of samples tagged with their round and process (each round in one process).
    public init(rounds: [Int], processes: [Int]) {
        var byProcess: [Int: Set<Int>] = [:]
        for (round, process) in zip(rounds, processes) {
            byProcess[process, default: []].insert(round)
        }
        self.init(processes: byProcess.keys.sorted().map { byProcess[$0]!.sorted() })
    }

    /// Every round, in order.
    public var rounds: [Int] { processes.flatMap { $0 } }

    /// The moving-block length for a process of `count` rounds: about the cube root (Künsch 1989;
    /// Hall, Horowitz and Jing 1995), at least 1.
    public static func blockLength(_ count: Int) -> Int {
        max(1, Int(cbrt(Double(count)).rounded()))
    }

    /// One resample: as many processes as there are, drawn with replacement; within each drawn
    /// process, its number of rounds rebuilt from moving blocks of consecutive rounds (circular),
    /// drawn with replacement. Returns round numbers (repeats allowed).
    public func resample(using rng: inout SplitMix64) -> [Int] {
        var drawn: [Int] = []
        for _ in processes.indices {
            let rounds = processes[Int.random(in: 0..<processes.count, using: &rng)]
            let length = Self.blockLength(rounds.count)
            var taken = 0
            while taken < rounds.count {
                let start = Int.random(in: 0..<rounds.count, using: &rng)
                for offset in 0..<min(length, rounds.count - taken) {
                    drawn.append(rounds[(start + offset) % rounds.count])
                }
                taken += length
            }
        }
        return drawn
    }

    /// Percentile intervals of several statistics at once over `resamples` resamples of this
    /// layout: `statistic` maps a resample (round numbers, repeats allowed) to one value per
    /// output (NaN where it cannot say); each output's interval comes from its finite values.
    public func intervals(
        outputs: Int, resamples: Int = 1000, confidence: Double = 0.95, seed: UInt64,
        statistic: ([Int]) -> [Double]
    ) -> [(low: Double, high: Double)] {
        var rng = SplitMix64(seed: seed)
        var replicates = [[Double]](repeating: [], count: outputs)
        for k in replicates.indices { replicates[k].reserveCapacity(resamples) }
        for _ in 0..<resamples {
            let values = statistic(resample(using: &rng))
            for (k, value) in values.enumerated() where k < outputs && value.isFinite {
                replicates[k].append(value)
            }
        }
        let tail = (1 - confidence) / 2
        return replicates.map { values in
            guard !values.isEmpty else { return (.nan, .nan) }
            let sorted = values.sorted()
            return (Statistics.quantile(sorted: sorted, tail), Statistics.quantile(sorted: sorted, 1 - tail))
        }
    }
}
