import BenchModel
import Foundation
import Statistics

/// How fast the host let a size's rounds reach the caches and memory, read from the copy
/// references timed in the same rounds (memcpy, the copy loop, STREAM add), where the speed probe,
/// a loop on the core, cannot see it (`MemoryLevelSummary` has what was measured).
///
/// Each reference's fast level is its `fastQuantile` over the rounds at the probe's fast level; a
/// round's slowdown is the median over the references of their time over their fast level, so that
/// one reference slower in one process (where its code lay) is not taken for the host's. A round
/// beyond `MemoryLevelSummary.slowdown` ran at a slower level.
struct MemoryLevel {
    /// The quantile of a reference's times taken as its fast level: low, so that a run mostly at a
    /// slow level still has its fast rounds seen, and above the fastest few.
    static let fastQuantile = 0.1
    /// The references read; at least two must be timed at the size.
    static let references: [ReferenceKind] = [.memcpy, .copyLoop, .streamAdd]

    let n: Int
    /// Per column of the table: the round's slowdown; NaN where fewer than two references were
    /// timed in it at the probe's fast level.
    let slowdowns: [Double]
    /// memcpy's fast level (ns), where it was timed.
    let memcpyFastNs: Double?

    /// The memory level of `table`'s rounds; nil where fewer than two references were timed at
    /// the probe's fast level (a Python ladder, a sweep without references).
    init?(cases: [CaseResult], table: RoundTable) {
        var relative: [[Double]] = []  // per reference with readings: log time over its fast level
        var memcpyFast: Double?
        for (row, index) in table.caseIndices.enumerated() {
            guard case .reference(let kind) = cases[index].kind, Self.references.contains(kind) else { continue }
            let times = table.logTimesAtFastLevel[row]
            let finite = times.filter(\.isFinite).sorted()
            guard !finite.isEmpty else { continue }
            let fast = Statistics.quantile(sorted: finite, Self.fastQuantile)
            relative.append(times.map { $0 - fast })
            if kind == .memcpy { memcpyFast = exp(fast) }
        }
        guard relative.count >= 2 else { return nil }
        n = cases[table.caseIndices[0]].n
        memcpyFastNs = memcpyFast
        slowdowns = table.rounds.indices.map { column in
            let readings = relative.map { $0[column] }.filter(\.isFinite)
            return readings.count >= 2 ? exp(Statistics.median(readings)) : .nan
        }
    }

    /// Whether the round of `column` ran at the fast level (false where it has no reading).
    func isFast(column: Int) -> Bool { slowdowns[column] <= MemoryLevelSummary.slowdown }

    /// What the run records of this size.
    var summary: MemoryLevelSummary {
        let read = slowdowns.filter(\.isFinite)
        let slow = read.filter { $0 > MemoryLevelSummary.slowdown }
        return MemoryLevelSummary(
            n: n, memcpyFastNs: memcpyFastNs, rounds: read.count, slowRounds: slow.count, slowest: read.max() ?? 1)
    }
}
