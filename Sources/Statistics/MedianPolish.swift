/// Tukey's median polish: the robust fit of a two-way table, `y[row][column] = overall + row effect
/// + column effect + residual`, by alternately sweeping out row and column medians.
///
/// Here rows are cases and columns are rounds, in log time: the column effects are what each round
/// had in common — the machine's speed at that moment — and the row effects are the cases with
/// that removed. Missing cells (NaN) are allowed: a case that got fewer samples leaves holes.
public struct MedianPolish: Sendable {
    public let overall: Double
    public let rowEffects: [Double]
    public let columnEffects: [Double]

    /// Fits `table` (`rows` × `columns`, NaN for a missing cell) in at most `sweeps` sweeps of
    /// both kinds, stopping once the effects move by less than `tolerance`. Row and column effects
    /// end with median 0 each, their level in `overall`.
    public init(_ table: [[Double]], sweeps: Int = 10, tolerance: Double = 1e-9) {
        var residuals = table
        let columns = table.map(\.count).max() ?? 0
        var rows = [Double](repeating: 0, count: table.count)
        var cols = [Double](repeating: 0, count: columns)
        var overall = 0.0
        for _ in 0..<sweeps {
            var moved = 0.0
            for r in residuals.indices {
                let median = Statistics.median(residuals[r].filter { !$0.isNaN })
                guard median.isFinite else { continue }
                for c in residuals[r].indices { residuals[r][c] -= median }
                rows[r] += median
                moved = max(moved, abs(median))
            }
            let rowShift = Statistics.median(rows)
            if rowShift.isFinite {
                rows = rows.map { $0 - rowShift }
                overall += rowShift
            }
            for c in 0..<columns {
                let median = Statistics.median(residuals.compactMap { c < $0.count && !$0[c].isNaN ? $0[c] : nil })
                guard median.isFinite else { continue }
                for r in residuals.indices where c < residuals[r].count { residuals[r][c] -= median }
                cols[c] += median
                moved = max(moved, abs(median))
            }
            let columnShift = Statistics.median(cols)
            if columnShift.isFinite {
                cols = cols.map { $0 - columnShift }
                overall += columnShift
            }
            if moved < tolerance { break }
        }
        self.overall = overall
        rowEffects = rows
        columnEffects = cols
    }

    /// The fitted level of row `r` with the column effects removed: `overall + rowEffects[r]`.
    public func level(ofRow r: Int) -> Double { overall + rowEffects[r] }
}
