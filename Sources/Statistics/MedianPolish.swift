/// Tukey's median polish: the robust fit of a two-way table, `y[row][column] = overall + row effect
/// + column effect + residual`, by alternately sweeping out row and column medians.
///
/// Here rows are cases and columns are rounds, in log time: the column effects are what each round
/// had in common — the machine's speed at that moment — and the row effects are the cases with
/// that removed. Missing cells (NaN) are allowed: a case that got fewer samples leaves holes.
///
/// Cost: each sweep is one pass over the table with a scratch buffer (no allocation per row or
/// column), so a case with 10⁶ rounds is polished in well under a second.
public struct MedianPolish: Sendable {
    public let overall: Double
    public let rowEffects: [Double]
    public let columnEffects: [Double]

    /// Fits `table` (`rows` × `columns`, NaN for a missing cell) in at most `sweeps` sweeps of
    /// both kinds, stopping once the effects move by less than `tolerance`. Row and column effects
    /// end with median 0 each, their level in `overall`.
    public init(_ table: [[Double]], sweeps: Int = 10, tolerance: Double = 1e-9) {
        let rowCount = table.count
        let columnCount = table.map(\.count).max() ?? 0
        var cells = [Double](repeating: .nan, count: rowCount * columnCount)
        for (r, row) in table.enumerated() {
            for (c, value) in row.enumerated() { cells[r * columnCount + c] = value }
        }
        var rows = [Double](repeating: 0, count: rowCount)
        var cols = [Double](repeating: 0, count: columnCount)
        var overall = 0.0
        var scratch = [Double]()
        scratch.reserveCapacity(max(rowCount, columnCount))
        for _ in 0..<sweeps {
            var moved = 0.0
            for r in 0..<rowCount {
                scratch.removeAll(keepingCapacity: true)
                for c in 0..<columnCount where !cells[r * columnCount + c].isNaN { scratch.append(cells[r * columnCount + c]) }
                guard let median = Self.medianInPlace(&scratch) else { continue }
                for c in 0..<columnCount { cells[r * columnCount + c] -= median }
                rows[r] += median
                moved = max(moved, abs(median))
            }
            scratch = rows
            if let shift = Self.medianInPlace(&scratch) {
                for r in 0..<rowCount { rows[r] -= shift }
                overall += shift
            }
            for c in 0..<columnCount {
                scratch.removeAll(keepingCapacity: true)
                for r in 0..<rowCount where !cells[r * columnCount + c].isNaN { scratch.append(cells[r * columnCount + c]) }
                guard let median = Self.medianInPlace(&scratch) else { continue }
                for r in 0..<rowCount { cells[r * columnCount + c] -= median }
                cols[c] += median
                moved = max(moved, abs(median))
            }
            scratch = cols
            if let shift = Self.medianInPlace(&scratch) {
                for c in 0..<columnCount { cols[c] -= shift }
                overall += shift
            }
            if moved < tolerance { break }
        }
        self.overall = overall
        rowEffects = rows
        columnEffects = cols
    }

    /// The fitted level of row `r` with the column effects removed: `overall + rowEffects[r]`.
    public func level(ofRow r: Int) -> Double { overall + rowEffects[r] }

    /// The median of `values` (reordering them), nil when empty: by selection, O(n) on average
    /// (a row of 10⁶ rounds is selected, not sorted, in every sweep).
    static func medianInPlace(_ values: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let n = values.count
        let upper = select(&values, n / 2)
        guard n % 2 == 0 else { return upper }
        // The lower middle is the largest value left of the upper one after selection.
        var lower = values[0]
        for i in 1..<(n / 2) where values[i] > lower { lower = values[i] }
        return (lower + upper) / 2
    }

    /// Reorders `values` so that the element at `k` is the one a sort would put there, with no
    /// larger element before it (Hoare's selection, median-of-three pivots); returns it.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                break
            }
        }
        return values[k]
    }
}
