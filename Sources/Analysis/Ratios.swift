import BenchModel
import Foundation
import Statistics

/// The ratios between cases of one size, taken within rounds: for each round holding both cases,
/// the log of the ratio of their samples, summarized as `RoundMedians` does.
enum Ratios {
    /// One ratio to estimate: `kind` of `subject` (row) against `reference` (row); `inverted` when
    /// the kind's value is reference / subject (speed-ups).
    struct Pair {
        let kind: RatioEstimate.Kind
        let subject: Int
        let reference: Int
        let inverted: Bool
        /// Where `reference` was picked as the fastest of several cases from the very rounds the
        /// ratio is taken over, the row each round (column) is compared with instead: the fastest
        /// over the rounds of the other measuring processes (`crossFittingFolds`). A pick from the
        /// same rounds favours whichever case's noise read low, and so biases the ratio up where
        /// the candidates lie within noise of each other (`auto` against the kernel it runs itself:
        /// the same code); a pick from the same process shares where that process's buffers landed.
        var crossFitted: [Int]?

        /// The row round `column` is compared with.
        func reference(inRound column: Int) -> Int {
            crossFitted?[column] ?? reference
        }
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
                pairs += references(row, rowOf)
                let into = rowOf[.native(.into, kernel)]
                if variant == .alloc, let into {
                    pairs.append(Pair(kind: .allocOverInto, subject: row, reference: into, inverted: false))
                }
                if variant == .intoAliased, let into {
                    pairs.append(Pair(kind: .aliasedOverInto, subject: row, reference: into, inverted: false))
                }
                if variant == .intoOffset, let into {
                    pairs.append(Pair(kind: .offsetOverInto, subject: row, reference: into, inverted: false))
                }
                if variant == .into, let bare = rowOf[.native(.bareC, kernel)] {
                    pairs.append(Pair(kind: .intoOverBareC, subject: row, reference: bare, inverted: false))
                }
                if kernel == .auto, let best = fastestExplicitKernel(variant, cases, table: table, rowOf) {
                    var pair = Pair(kind: .autoOverBest, subject: row, reference: best, inverted: false)
                    pair.crossFitted = crossFittedReferences(variant, than: row, table: table, rowOf)
                    pairs.append(pair)
                }
            case .batch(let variant):
                pairs += references(row, rowOf)
                if variant == .allCores, let single = rowOf[.batch(.singleThread)] {
                    pairs.append(Pair(kind: .allCoresSpeedup, subject: row, reference: single, inverted: true))
                }
            case .python(.jsaOut):
                if let baseline = rowOf[.python(.numpyBaseline)] {
                    pairs.append(Pair(kind: .speedupOverNumpy, subject: row, reference: baseline, inverted: true))
                }
            case .reference(.memcpy):
                // Whether this memcpy is at the copy limit at this size (glibc picks its strategy).
                if let loop = rowOf[.reference(.copyLoop)] {
                    pairs.append(Pair(kind: .fractionOfCopyLoop, subject: row, reference: loop, inverted: false))
                }
            case .reference, .python:
                break
            }
        }
        return pairs
    }

    /// The row of the explicit kernel (not `auto`) of `variant` with the lowest fast-level estimate
    /// (blocked where a case has none), the estimate the report's times use: where the host's
    /// slower level ranks the kernels otherwise — on the Zen 4 guest (2026-12-04 18:17) avx2 took
    /// 138.0 ns and avx512 143.5 ns over every round of a run mostly at that level, 101.3 and 88.6
    /// ns at the fast level — the blocked estimate named avx2 the fastest and put `auto` at 0.88×
    /// it.
    private static func fastestExplicitKernel(
        _ variant: NativeVariant, _ cases: [CaseResult], table: RoundTable, _ rowOf: [CaseKind: Int]
    ) -> Int? {
        let candidates = KernelName.allCases.filter { $0 != .auto }.compactMap { kernel -> (row: Int, ns: Double)? in
            guard let row = rowOf[.native(variant, kernel)],
                let estimates = cases[table.caseIndices[row]].estimates,
                let ns = estimates.fastLevel?.value ?? estimates.blocked?.value
            else { return nil }
            return (row, ns)
        }
        return candidates.min { $0.ns < $1.ns }?.row
    }

    /// The folds of a cross-fitted pick, as columns: each measuring process's rounds where the
    /// table has two processes or more, so that no pick shares a process with the rounds it is
    /// used in; the even and the odd rounds of a run of one process.
    private static func crossFittingFolds(_ table: RoundTable) -> [[Int]] {
        let processes = table.processColumns
        if processes.count >= 2 { return processes }
        let columns = Array(table.rounds.indices)
        return [columns.filter { $0 % 2 == 0 }, columns.filter { $0 % 2 == 1 }]
    }

    /// Per column, the row of the explicit kernel `subject` is compared with there: the fastest
    /// over the columns outside that column's fold (`crossFittingFolds`); nil where a fold's pick
    /// has no rounds to come from (a run of one round).
    private static func crossFittedReferences(
        _ variant: NativeVariant, than subject: Int, table: RoundTable, _ rowOf: [CaseKind: Int]
    ) -> [Int]? {
        var references = [Int](repeating: -1, count: table.rounds.count)
        for fold in crossFittingFolds(table) {
            let inFold = Set(fold)
            let others = table.rounds.indices.filter { !inFold.contains($0) }
            guard let pick = fastestExplicitKernel(variant, than: subject, table: table, rowOf, inColumns: others) else { return nil }
            for column in fold { references[column] = pick }
        }
        return references.contains(-1) ? nil : references
    }

    /// The row of the explicit kernel (not `auto`) of `variant` that ran fastest against `subject`
    /// over `columns`: the lowest median of its log time minus the subject's within those rounds,
    /// at the host's fast level where every candidate has such a round there, over every one of
    /// them otherwise; nil where a candidate has none of them.
    private static func fastestExplicitKernel(
        _ variant: NativeVariant, than subject: Int, table: RoundTable, _ rowOf: [CaseKind: Int], inColumns columns: [Int]
    ) -> Int? {
        let rows = KernelName.allCases.filter { $0 != .auto }.compactMap { rowOf[.native(variant, $0)] }
        func medians(_ times: [[Double]]) -> [(row: Int, logRatio: Double)]? {
            var medians: [(row: Int, logRatio: Double)] = []
            for row in rows {
                let differences = columns.map { times[row][$0] - times[subject][$0] }.filter(\.isFinite)
                guard !differences.isEmpty else { return nil }
                medians.append((row, Statistics.median(differences)))
            }
            return medians
        }
        guard !rows.isEmpty, let medians = medians(table.logTimesAtFastLevel) ?? medians(table.logTimes) else { return nil }
        return medians.min { $0.logRatio < $1.logRatio }?.row
    }

    private static func references(_ row: Int, _ rowOf: [CaseKind: Int]) -> [Pair] {
        let references: [(RatioEstimate.Kind, ReferenceKind)] = [
            (.fractionOfMemcpy, .memcpy), (.fractionOfStreamAdd, .streamAdd), (.fractionOfCopyLoop, .copyLoop)
        ]
        return references.compactMap { kind, reference in
            rowOf[.reference(reference)].map { Pair(kind: kind, subject: row, reference: $0, inverted: false) }
        }
    }

    /// Every ratio of the table with its interval, over every round and over the rounds at the
    /// host's fast level (`RoundTable.logTimesAtFastLevel`: NaN where a sample's probe ran slower,
    /// so a round counts only where both cases' samples ran fast).
    static func estimate(_ cases: [CaseResult], table: RoundTable, seed: UInt64) -> [RatioEstimate] {
        let pairs = pairs(cases, table: table)
        guard !pairs.isEmpty else { return [] }
        func logRatio(_ times: [[Double]]) -> (Int, Int) -> Double {
            { k, column in
                let difference = times[pairs[k].subject][column] - times[pairs[k].reference(inRound: column)][column]
                return pairs[k].inverted ? -difference : difference
            }
        }
        let (every, atFastLevel) = (logRatio(table.logTimes), logRatio(table.logTimesAtFastLevel))
        let seed = Statistics.seed(seed, for: "ratios/\(cases[table.caseIndices[0]].n)")
        let estimates = RoundMedians.estimate(table, outputs: pairs.count, seed: seed, transform: exp, perRound: every)
        let fastLevel = RoundMedians.estimate(table, outputs: pairs.count, seed: seed, transform: exp, perRound: atFastLevel)
        return pairs.indices.compactMap { k in
            guard let estimate = estimates[k] else { return nil }
            let subject = cases[table.caseIndices[pairs[k].subject]]
            return RatioEstimate(
                kind: pairs[k].kind, n: subject.n, subject: subject.id,
                reference: cases[table.caseIndices[pairs[k].reference]].id, estimate: estimate,
                rounds: RoundMedians.rounds(table) { every(k, $0) }, fastLevel: fastLevel[k],
                fastLevelRounds: fastLevel[k].map { _ in RoundMedians.rounds(table) { atFastLevel(k, $0) } })
        }
    }
}
