import BenchModel
import Foundation
import Statistics

/// The measuring processes that read one case far from the others (`ProcessApart`), from a size's
/// round table: each process's level of each case (the median polish of its own rounds, log ns)
/// in a table of cases × processes, polished in turn, whose residual is what set a process apart
/// at one case alone — its speed over every case (a slower stretch of the run) and the case's
/// own level are the table's column and row effects. The polish is robust: one cell far out does
/// not move the effects the others are read against.
enum ProcessesApart {
    /// The processes apart in `table` (a size's cases, its processes' rounds); none with fewer than
    /// three processes or three cases, where a residual says little. Cases of more than one thread
    /// are left out: their processes differ by what the host's other guests did on the other vCPU.
    static func find(_ cases: [CaseResult], table: RoundTable) -> [ProcessApart] {
        let groups = table.processColumns
        let rows = table.caseIndices.indices.filter { cases[table.caseIndices[$0]].threads <= 1 }
        guard groups.count >= 3, rows.count >= 3 else { return [] }
        // At the fast level only: at the host's slower one cases slow unlike each other (memcpy
        // 1.6-2x, a copy loop less), which a process measured in a slow stretch would show as
        // cases apart.
        let levels = groups.map { table.levels($0, reading: .atFastLevel) }
        let byCase = rows.map { row in groups.indices.map { levels[$0][row] } }
        let fit = MedianPolish(byCase)
        var found: [ProcessApart] = []
        for (k, row) in rows.enumerated() {
            for process in groups.indices where byCase[k][process].isFinite {
                let residual = byCase[k][process] - fit.overall - fit.rowEffects[k] - fit.columnEffects[process]
                let apart = exp(residual) - 1
                if abs(apart) > ProcessApart.beyond {
                    let c = cases[table.caseIndices[row]]
                    found.append(ProcessApart(id: c.id, n: c.n, process: process, processes: groups.count, deviation: apart))
                }
            }
        }
        return found
    }
}
