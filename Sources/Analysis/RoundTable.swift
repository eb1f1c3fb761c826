import BenchModel
import Foundation
import Statistics

/// The cases of one size (or of one Python ladder) as a table of log times: a row per case, a
/// column per round, NaN where a case has no sample in a round; the speed index of each round; the
/// same table with only the samples taken at the host's fast level; and the layout of rounds over
/// processes that the bootstrap resamples.
struct RoundTable {
    /// Which times a table's levels are fitted on.
    enum Reading: CaseIterable {
        /// log(ns per call).
        case times
        /// `logTimesOverSpeed`: log(ns per call) over the speed the host ran at.
        case normalized
        /// log(ns per call) of the samples whose speed probe ran at the fast level
        /// (`SpeedIndex.fastLevelCut`).
        case atFastLevel
    }

    /// The rows' cases, by index into the document's cases.
    let caseIndices: [Int]
    /// The rounds (column labels), ascending.
    let rounds: [Int]
    /// log(ns per call), rows × columns.
    let logTimes: [[Double]]
    /// log of each round's speed index (the median probe time of its samples); NaN without probes.
    let logSpeed: [Double]
    /// `logTimes` where the sample's own probe ran at the fast level, NaN elsewhere (and where a
    /// sample has no probe).
    let logTimesAtFastLevel: [[Double]]
    /// `logTimes` over the speed the host ran at: each sample at the fast level over the median
    /// probe time of its round's samples at that level; samples at a slower level are left out
    /// (NaN), whether their round had fast ones or not — the slower level is broad, a slow sample's
    /// probe says little about how much slower the sample itself ran, and a case waiting on memory
    /// slows less than the probe (1.1–1.3× where the probe slowed 1.9×, a measuring process at the
    /// AMD EPYC Zen 5 guest's slower level, 2026-12-05; until then a round without a fast sample
    /// counted whole, over its round's speed index). Where the run has one level (no cut), every
    /// sample over its round's speed index; where the host flickered within rounds, a fast sample
    /// is not divided by a round median that slow probes raised.
    let logTimesOverSpeed: [[Double]]
    /// Samples with a probe, and how many of them ran at the fast level.
    let probedSamples: Int
    let samplesAtFastLevel: Int
    let layout: RoundLayout
    /// Column of each round number.
    let column: [Int: Int]
    /// The columns of each measuring process, in order.
    var processColumns: [[Int]] { layout.processes.map { $0.map { column[$0]! } } }

    /// At most this many rounds enter a table: beyond, every k-th round in time order (evenly
    /// spread over the run), so that the polish and its intervals cost the same for 10⁶ samples as
    /// for 2000. The plain statistics (`stats`) still use every sample.
    static let maximumRounds = 2000

    /// The table of `indices` (cases of one size that were sampled together), whose samples
    /// count as taken at the host's fast level up to `fastLevelCut` (log ns of their probe; nil:
    /// every sample counts). A case without round numbers (a v1 document, a Python rung) had its
    /// sample k in round k, in process 0.
    init(cases: [CaseResult], indices: [Int], fastLevelCut cut: Double?) {
        var roundSet = Set<Int>()
        var roundProcess: [Int: Int] = [:]
        for index in indices {
            let c = cases[index]
            let rounds = c.sampleRounds ?? Array(c.samplesNs.indices)
            let processes = c.sampleProcesses ?? Array(repeating: 0, count: c.samplesNs.count)
            for (round, process) in zip(rounds, processes) {
                roundSet.insert(round)
                roundProcess[round] = process
            }
        }
        let everyRound = roundSet.sorted()
        let step = (everyRound.count + Self.maximumRounds - 1) / Self.maximumRounds
        rounds = step <= 1 ? everyRound : stride(from: 0, to: everyRound.count, by: step).map { everyRound[$0] }
        column = Dictionary(uniqueKeysWithValues: rounds.enumerated().map { ($1, $0) })
        let empty = [[Double]](repeating: [Double](repeating: .nan, count: rounds.count), count: indices.count)
        var table = empty
        var sampleProbes = empty  // log probe time before each sample
        var probes = [[Double]](repeating: [], count: rounds.count)
        for (row, index) in indices.enumerated() {
            let c = cases[index]
            let sampleRounds = c.sampleRounds ?? Array(c.samplesNs.indices)
            for (k, ns) in c.samplesNs.enumerated() where k < sampleRounds.count && ns > 0 && ns.isFinite {
                guard let col = column[sampleRounds[k]] else { continue }  // a round thinned out
                table[row][col] = log(ns)
                if let probe = c.probesNs.flatMap({ k < $0.count && $0[k] > 0 ? $0[k] : nil }) {
                    sampleProbes[row][col] = log(probe)
                    probes[col].append(probe)
                }
            }
        }
        caseIndices = indices
        logTimes = table
        logSpeed = probes.map { $0.isEmpty ? .nan : log(Statistics.median($0)) }
        let probed = sampleProbes.flatMap { $0 }.filter(\.isFinite)
        func isFast(_ probe: Double) -> Bool { probe.isFinite && probe <= (cut ?? .infinity) }
        logTimesAtFastLevel = zip(table, sampleProbes).map { times, probes in
            zip(times, probes).map { time, probe in isFast(probe) ? time : .nan }
        }
        let fastSpeed = rounds.indices.map { col -> Double in
            let fast = sampleProbes.map { $0[col] }.filter(isFast)
            return fast.isEmpty ? .nan : log(Statistics.median(fast.map { exp($0) }))
        }
        // A sample at the fast level has a finite fastSpeed in its round; without a cut every
        // probed sample is, and fastSpeed is then the round's speed index.
        logTimesOverSpeed = zip(table, sampleProbes).map { times, probes in
            times.indices.map { col in isFast(probes[col]) ? times[col] - fastSpeed[col] : .nan }
        }
        probedSamples = probed.count
        samplesAtFastLevel = probed.filter(isFast).count
        layout = RoundLayout(rounds: rounds, processes: rounds.map { roundProcess[$0] ?? 0 })
    }

    /// The columns of a resample (round numbers, repeats kept).
    func columns(_ resample: [Int]) -> [Int] { resample.compactMap { column[$0] } }

    /// The whole table of `reading`, rows × columns.
    func table(_ reading: Reading) -> [[Double]] {
        switch reading {
        case .times: logTimes
        case .normalized: logTimesOverSpeed
        case .atFastLevel: logTimesAtFastLevel
        }
    }

    /// The table of `reading` restricted to `columns` (repeats kept).
    func subtable(_ columns: [Int], reading: Reading) -> [[Double]] {
        table(reading).map { row in columns.map { row[$0] } }
    }

    /// Samples of `row` in `reading`'s table.
    func samples(row: Int, reading: Reading) -> Int {
        table(reading)[row].filter(\.isFinite).count
    }

    /// Whether every round holding a sample of `row` has a speed reading.
    func hasSpeed(row: Int) -> Bool {
        logTimes[row].indices.allSatisfy { logTimes[row][$0].isNaN || !logSpeed[$0].isNaN }
    }

    /// The rows' levels after the median polish of `columns` (3 sweeps in the bootstrap, where the
    /// fit is repeated a thousand times and has converged to well under the noise by then).
    func levels(_ columns: [Int], reading: Reading, sweeps: Int = 10) -> [Double] {
        let table = subtable(columns, reading: reading)
        let polish = MedianPolish(table, sweeps: sweeps)
        return table.indices.map { row in table[row].contains { $0.isFinite } ? polish.level(ofRow: row) : .nan }
    }
}
