import BenchModel
import Foundation
import Statistics

/// Differences of cases' times at one size, in ns, taken within rounds and summarized as
/// `RoundMedians` does: what allocation and the Swift API add to the kernel, and what a Python
/// call adds to the native one.
enum Differences {
    /// One difference: `kind` describing `subject` (row), the sum of `terms` (rows with signs).
    struct Combination {
        let kind: DifferenceEstimate.Kind
        let subject: Int
        let terms: [(row: Int, sign: Double)]
    }

    /// The references an allocating call is compared with, and the difference each one names.
    static let allocationReferences: [(DifferenceEstimate.Kind, ReferenceKind)] = [
        (.allocationExcess, .mallocFree), (.arrayExcess, .swiftArray)
    ]

    static func combinations(_ cases: [CaseResult], table: RoundTable) -> [Combination] {
        var rowOf: [CaseKind: Int] = [:]
        for (row, index) in table.caseIndices.enumerated() {
            if let kind = cases[index].kind { rowOf[kind] = row }
        }
        var combinations: [Combination] = []
        for (row, index) in table.caseIndices.enumerated() {
            switch cases[index].kind {
            case .native(.alloc, let kernel)?:
                guard let into = rowOf[.native(.into, kernel)] else { break }
                for (kind, reference) in allocationReferences {
                    if let allocation = rowOf[.reference(reference)] {
                        combinations.append(Combination(kind: kind, subject: row, terms: [(row, 1), (into, -1), (allocation, -1)]))
                    }
                }
            case .native(.into, let kernel)?:
                if let bare = rowOf[.native(.bareC, kernel)] {
                    combinations.append(Combination(kind: .swiftOverhead, subject: row, terms: [(row, 1), (bare, -1)]))
                }
            case .python(let rung)? where rung == .jsaOut || rung == .jsa:
                if let native = rowOf[.python(.nativeOut)], let loop = rowOf[.python(.emptyLoop)] {
                    combinations.append(
                        Combination(
                            kind: rung == .jsaOut ? .pythonCallOverheadOut : .pythonCallOverheadAlloc,
                            subject: row, terms: [(row, 1), (native, -1), (loop, -1)]))
                }
            default:
                break
            }
        }
        return combinations
    }

    /// Every difference of the table with its interval.
    static func estimate(_ cases: [CaseResult], table: RoundTable, seed: UInt64) -> [DifferenceEstimate] {
        let combinations = combinations(cases, table: table)
        guard !combinations.isEmpty else { return [] }
        let value = { (k: Int, column: Int) -> Double in
            combinations[k].terms.reduce(0.0) { sum, term in sum + term.sign * exp(table.logTimes[term.row][column]) }
        }
        let estimates = RoundMedians.estimate(
            table, outputs: combinations.count,
            seed: Statistics.seed(seed, for: "differences/\(cases[table.caseIndices[0]].n)"),
            perRound: value)
        return combinations.indices.compactMap { k in
            guard let estimate = estimates[k] else { return nil }
            let subject = cases[table.caseIndices[combinations[k].subject]]
            return DifferenceEstimate(
                kind: combinations[k].kind, n: subject.n, subject: subject.id, estimate: estimate,
                rounds: RoundMedians.rounds(table) { value(k, $0) })
        }
    }
}
