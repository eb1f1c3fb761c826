import Foundation
import Results
import Statistics

/// The ratios between cases of one size, taken within rounds: for each round holding both cases,
/// the log of the ratio of their samples; the estimate is the median over all rounds, and its
/// interval as wide as Student's t over the processes' own medians (one process: the moving-block
/// bootstrap over its rounds) — as `Levels` does for the cases.
enum Ratios {
    /// One ratio to estimate: `kind` of `subject` (row) against `reference` (row); `inverted` when
    /// the kind's value is reference / subject (speed-ups).
    struct Pair {
        let kind: RatioEstimate.Kind
        let subject: Int
        let reference: Int
        let inverted: Bool
    }

    /// The pairs among the table's cases.
    static func pairs(_ cases: [CaseResult], table: RoundTable) -> [Pair] {
        var rowOf: [CaseKind: Int] = [:]
        for (row, index) in table.caseIndices.enumerated() {
            if let kind = cases[index].kind { rowOf[kind] = row }
        }
        var pairs: [Pair] = []
        for (row, index) in table.caseIndices.enumerated() {
            guard let kind = cases[index].kind else { continue }
            switch kind {
            case .native(let variant, let kernel):
                if kernel != .scalar, let scalar = rowOf[.native(variant, .scalar)] {
                    pairs.append(Pair(kind: .speedupOverScalar, subject: row, reference: scalar, inverted: true))
                }
                if variant != .bareC {
                    pairs += references(row, rowOf)
                }
                let into = rowOf[.native(.into, kernel)]
                if variant == .alloc, let into {
                    pairs.append(Pair(kind: .allocOverInto, subject: row, reference: into, inverted: false))
                }
                if variant == .intoAliased, let into {
                    pairs.append(Pair(kind: .aliasedOverInto, subject: row, reference: into, inverted: false))
                }
                if variant == .into, let bare = rowOf[.native(.bareC, kernel)] {
                    pairs.append(Pair(kind: .intoOverBareC, subject: row, reference: bare, inverted: false))
                }
            case .batch(let variant):
                pairs += references(row, rowOf)
                if variant == .allCores, let single = rowOf[.batch(.singleThread)] {
                    pairs.append(Pair(kind: .allCoresSpeedup, subject: row, reference: single, inverted: true))
                }
            case .reference, .python:
                break
            }
        }
        return pairs
    }

    private static func references(_ row: Int, _ rowOf: [CaseKind: Int]) -> [Pair] {
        [(RatioEstimate.Kind.fractionOfMemcpy, ReferenceKind.memcpy), (.fractionOfStreamAdd, .streamAdd)].compactMap { kind, reference in
            rowOf[.reference(reference)].map { Pair(kind: kind, subject: row, reference: $0, inverted: false) }
        }
    }

    /// Every ratio of the table with its interval.
    static func estimate(_ cases: [CaseResult], table: RoundTable, seed: UInt64) -> [RatioEstimate] {
        let pairs = pairs(cases, table: table)
        guard !pairs.isEmpty else { return [] }
        func medians(_ columns: [Int]) -> [Double] {
            pairs.map { pair in
                let logs = columns.compactMap { col -> Double? in
                    let difference = table.logTimes[pair.subject][col] - table.logTimes[pair.reference][col]
                    return difference.isFinite ? (pair.inverted ? -difference : difference) : nil
                }
                return logs.isEmpty ? .nan : Statistics.median(logs)
            }
        }
        let all = Array(table.rounds.indices)
        let groups = table.processColumns
        let values = medians(all)
        var intervals: [(low: Double, high: Double)]
        if groups.count >= 2 {
            // The processes as replicates, as for the cases' estimates.
            let perProcess = groups.map(medians)
            intervals = pairs.indices.map { k in
                guard let replicates = ReplicateInterval(perProcess.map { $0[k] }) else { return (.nan, .nan) }
                let half = (replicates.high - replicates.low) / 2
                return (values[k] - half, values[k] + half)
            }
        } else {
            intervals = table.layout.intervals(outputs: pairs.count, resamples: Analysis.resamples,
                                               seed: Statistics.seed(seed, for: "ratios/\(cases[table.caseIndices[0]].n)")) {
                medians(table.columns($0))
            }
        }
        return pairs.indices.compactMap { k in
            let pair = pairs[k]
            let rounds = all.filter { (table.logTimes[pair.subject][$0] - table.logTimes[pair.reference][$0]).isFinite }.count
            guard values[k].isFinite, intervals[k].low.isFinite, rounds >= 2 else { return nil }
            let subject = cases[table.caseIndices[pair.subject]]
            return RatioEstimate(
                kind: pair.kind, n: subject.n, subject: subject.id, reference: cases[table.caseIndices[pair.reference]].id,
                estimate: IntervalEstimate(value: exp(values[k]), ci95Low: exp(min(intervals[k].low, values[k])),
                                           ci95High: exp(max(intervals[k].high, values[k]))),
                rounds: rounds)
        }
    }
}
