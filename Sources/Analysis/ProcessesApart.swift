import BenchModel
import Foundation
import Statistics

/// The measuring processes that read one case far from the others (`ProcessApart`), from a size's
/// round table: each process's level of each case (the median polish of its own rounds, log ns)
/// in a table of cases × processes, polished in turn, whose residual is what set a process apart
/// at one case alone — its speed over every case (a slower stretch of the run) and the case's
/// own level are the table's column and row effects. The polish is robust: one cell far out does
/// not move the effects the others are read against.
///
/// Only rounds at the fast level of both the core and the memory count: at the host's slower
/// levels cases slow unlike each other, and a process measured in such a stretch would show its
/// cases apart. The speed probe's slower level slows memcpy 1.6–2× and a copy loop less; the
/// memory's (`MemoryLevel`) slows the cases bound by memory and not those bound by the core. On
/// the AMD EPYC Zen 3 guest (2026-12-07 09:16, 8 runs of `sweep --sizes 1e3,1e4,1e5 --kernels
/// scalar,avx2`) the processes that met the memory's fast level at n = 100000 while the others
/// did not had their scalar cases named 15–20% apart, and one slow process its copy references:
/// 9 cases at that size in the 8 runs. Without the memory's slower rounds, 2; in 8 runs at 09:24,
/// 1 against 34.
enum ProcessesApart {
    /// The processes apart in `table` (a size's cases, its processes' rounds); none with fewer than
    /// three processes with rounds at both fast levels or with fewer than three cases, where a
    /// residual says little. Cases of more than one thread are left out: their processes differ by
    /// what the host's other guests did on the other vCPU.
    static func find(_ cases: [CaseResult], table: RoundTable, memoryLevel: MemoryLevel? = nil) -> [ProcessApart] {
        let rows = table.caseIndices.indices.filter { cases[table.caseIndices[$0]].threads <= 1 }
        // A process that met the memory's fast level in under half of its rounds with a reading
        // is not judged: the level flickers within rounds, and in the few rounds read as fast its
        // other cases may have run slow (seen at n = 100000 on the Zen 3 guest).
        let groups = table.processColumns.map { columns -> [Int] in
            guard let memoryLevel else { return columns }
            let read = columns.filter { memoryLevel.slowdowns[$0].isFinite }
            let fast = read.filter { memoryLevel.isFast(column: $0) }
            return 2 * fast.count >= read.count ? fast : []
        }
        guard groups.filter({ !$0.isEmpty }).count >= 3, rows.count >= 3 else { return [] }
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
