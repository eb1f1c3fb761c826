import BenchModel
import Foundation
import Statistics

/// The cases of one size (or of one Python ladder) as a table of log times: a row per case, a
/// column per round, NaN where a case has no sample in a round; the speed index of each round; and
/// the layout of rounds over processes that the bootstrap resamples.
struct RoundTable {
    /// The rows' cases, by index into the document's cases.
    let caseIndices: [Int]
    /// The rounds (column labels), ascending.
    let rounds: [Int]
    /// log(ns per call), rows × columns.
    let logTimes: [[Double]]
    /// log of each round's speed index (the median probe time of its samples); NaN without probes.
    let logSpeed: [Double]
    let layout: RoundLayout
    /// Column of each round number.
    let column: [Int: Int]
    /// The columns of each measuring process, in order.
    var processColumns: [[Int]] { layout.processes.map { $0.map { column[$0]! } } }

    /// At most this many rounds enter a table: beyond, every k-th round in time order (evenly
    /// spread over the run), so that the polish and its intervals cost the same for 10⁶ samples as
    /// for 2000. The plain statistics (`stats`) still use every sample.
    static let maximumRounds = 2000

    /// The table of `indices` (cases of one size that were sampled together). A case without
    /// round numbers (a v1 document, a Python rung) had its sample k in round k, in process 0.
    init(cases: [CaseResult], indices: [Int]) {
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
        var table = [[Double]](repeating: [Double](repeating: .nan, count: rounds.count), count: indices.count)
        var probes = [[Double]](repeating: [], count: rounds.count)
        for (row, index) in indices.enumerated() {
            let c = cases[index]
            let sampleRounds = c.sampleRounds ?? Array(c.samplesNs.indices)
            for (k, ns) in c.samplesNs.enumerated() where k < sampleRounds.count && ns > 0 && ns.isFinite {
                guard let col = column[sampleRounds[k]] else { continue }  // a round thinned out
                table[row][col] = log(ns)
                if let probe = c.probesNs?[k], probe > 0 { probes[col].append(probe) }
            }
        }
        caseIndices = indices
        logTimes = table
        logSpeed = probes.map { $0.isEmpty ? .nan : log(Statistics.median($0)) }
        layout = RoundLayout(rounds: rounds, processes: rounds.map { roundProcess[$0] ?? 0 })
    }

    /// The columns of a resample (round numbers, repeats kept).
    func columns(_ resample: [Int]) -> [Int] { resample.compactMap { column[$0] } }

    /// The table restricted to `columns` (repeats kept), optionally in probe units.
    func subtable(_ columns: [Int], normalized: Bool) -> [[Double]] {
        logTimes.map { row in columns.map { normalized ? row[$0] - logSpeed[$0] : row[$0] } }
    }

    /// Whether every round holding a sample of `row` has a speed reading.
    func hasSpeed(row: Int) -> Bool {
        logTimes[row].indices.allSatisfy { logTimes[row][$0].isNaN || !logSpeed[$0].isNaN }
    }

    /// The rows' levels after the median polish of `columns` (3 sweeps in the bootstrap, where the
    /// fit is repeated a thousand times and has converged to well under the noise by then).
    func levels(_ columns: [Int], normalized: Bool, sweeps: Int = 10) -> [Double] {
        let table = subtable(columns, normalized: normalized)
        let polish = MedianPolish(table, sweeps: sweeps)
        return table.indices.map { row in table[row].contains { $0.isFinite } ? polish.level(ofRow: row) : .nan }
    }
}
