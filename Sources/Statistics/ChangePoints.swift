import SeededRandom

/// Change points in a series by E-Divisive means (Matteson and James 2014, with α = 1 — the
/// method of MongoDB's signal-processing-algorithms and Apache Otava): hierarchical bisection on
/// the energy distance between the values before and after a split, each split kept only when a
/// permutation test finds it significant.
///
/// For a segment and a split at τ into m values X before and n values Y after, the statistic is
///
///     q(τ) = m·n/(m+n) · ( 2/(m·n) Σ|Xi − Yj| − 1/C(m,2) Σ|Xi − Xk| − 1/C(n,2) Σ|Yj − Yl| )
///
/// The split with the largest q over every current segment is tested: the values of each segment
/// are permuted `permutations` times, the largest q recomputed each time, and the p-value is the
/// share of permutations (counting the observed order) reaching the observed q — the test stops
/// as soon as that share can no longer end below the significance level. A significant
/// split divides its segment and the search goes on; the first one that is not ends it.
public enum EDivisive {
    /// One detected change point.
    public struct ChangePoint: Hashable, Sendable {
        /// The index of the first value after the change.
        public var index: Int
        /// The energy statistic q at the split.
        public var statistic: Double
        /// The permutation test's p-value.
        public var pValue: Double
    }

    public struct Options: Sendable {
        /// The p-value below which a split is kept.
        public var significance = 0.05
        /// Permutations per test; the smallest p-value it can give is 1 / (permutations + 1).
        public var permutations = 199
        /// The fewest values a segment may have on either side of a split.
        public var minimumSegment = 5
        public var seed: UInt64 = 42

        public init(significance: Double = 0.05, permutations: Int = 199, minimumSegment: Int = 5, seed: UInt64 = 42) {
            self.significance = significance
            self.permutations = permutations
            self.minimumSegment = minimumSegment
            self.seed = seed
        }
    }

    /// The change points of `series`, in index order.
    public static func detect(_ series: [Double], options: Options = Options()) -> [ChangePoint] {
        var random = SplitMix64(seed: options.seed)
        var boundaries = [0, series.count]
        var found: [ChangePoint] = []
        while true {
            let segments = zip(boundaries, boundaries.dropFirst()).map { ($0, $1) }
            let candidates = segments.compactMap { segment -> (split: Int, q: Double)? in
                bestSplit(Array(series[segment.0..<segment.1]), minimumSegment: options.minimumSegment)
                    .map { (segment.0 + $0.split, $0.q) }
            }
            guard let best = candidates.max(by: { $0.q < $1.q }) else { break }
            var reached = 1  // the observed order
            for _ in 0..<options.permutations {
                var permutedBest = -Double.infinity
                for segment in segments {
                    var values = Array(series[segment.0..<segment.1])
                    shuffle(&values, &random)
                    if let split = bestSplit(values, minimumSegment: options.minimumSegment) {
                        permutedBest = max(permutedBest, split.q)
                    }
                }
                if permutedBest >= best.q { reached += 1 }
                // p = reached / (permutations + 1) only grows: once it cannot end below the
                // significance level, the remaining permutations cannot change the outcome.
                if Double(reached) >= options.significance * Double(options.permutations + 1) { break }
            }
            let p = Double(reached) / Double(options.permutations + 1)
            guard p < options.significance else { break }
            found.append(ChangePoint(index: best.split, statistic: best.q, pValue: p))
            boundaries.append(best.split)
            boundaries.sort()
        }
        return found.sorted { $0.index < $1.index }
    }

    /// The split of `values` with the largest q (the index of the first value after it), with
    /// at least `minimumSegment` values on each side; nil when there is no room.
    static func bestSplit(_ values: [Double], minimumSegment: Int) -> (split: Int, q: Double)? {
        let count = values.count
        let least = max(2, minimumSegment)
        guard count >= 2 * least else { return nil }
        // Σ_k |x_i − x_k| over the values before i, and over all: the within sums move by one
        // value per step of τ.
        var total = 0.0
        var withinLeft = 0.0
        var left = [Double](repeating: 0, count: count)  // Σ_{k<i} |x_i − x_k|
        var all = [Double](repeating: 0, count: count)  // Σ_k |x_i − x_k|
        for i in 0..<count {
            for k in 0..<count where k != i {
                let d = abs(values[i] - values[k])
                all[i] += d
                if k < i { left[i] += d }
            }
            total += left[i]
        }
        var best: (split: Int, q: Double)?
        var withinRight = total
        var between = 0.0
        // Moving value τ−1 from the right to the left: its distances to the left were "between"
        // and become "within left"; its distances to the right were "within right" and become
        // "between".
        for tau in 1..<count {
            let moved = tau - 1
            let toLeft = left[moved]
            let toRight = all[moved] - toLeft
            withinLeft += toLeft
            between += toRight - toLeft
            withinRight -= toRight
            guard tau >= least, count - tau >= least else { continue }
            let m = Double(tau)
            let n = Double(count - tau)
            let energy = 2 * between / (m * n) - withinLeft / (m * (m - 1) / 2) - withinRight / (n * (n - 1) / 2)
            let q = m * n / (m + n) * energy
            if best == nil || q > best!.q { best = (tau, q) }
        }
        return best
    }

    /// Fisher–Yates with the project's seeded generator.
    static func shuffle(_ values: inout [Double], _ random: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            values.swapAt(i, j)
        }
    }
}
