import Foundation

/// Whether a series of speed readings (log scale) came from one level or two: a mixture of two
/// normal components fitted by EM, judged against one normal by BIC, with Ashman's D for how far
/// apart the two levels are. The hosts this project runs on switch between two speed levels
/// 1.6–2× apart for seconds at a time; this says whether a run saw that, and in what proportion.
public struct TwoLevelFit: Hashable, Sendable {
    /// Share of the readings at the lower and the higher level (sum 1).
    public let weights: (low: Double, high: Double)
    /// Means and standard deviations of the two levels, in the values' own (log) units.
    public let means: (low: Double, high: Double)
    public let deviations: (low: Double, high: Double)
    /// BIC of one normal minus BIC of the two-component mixture: above 10, strong evidence for two.
    public let bicAdvantage: Double
    /// Ashman's D = √2 |μ₁ − μ₂| / √(σ₁² + σ₂²): above 2, the levels are cleanly apart.
    public let separation: Double
    public let count: Int

    /// The thresholds of `isBimodal`.
    public static let minimumBICAdvantage = 10.0
    public static let minimumSeparation = 2.0
    public static let minimumWeight = 0.05

    /// Two levels, strongly supported, cleanly apart, and each holding at least 5% of the readings.
    public var isBimodal: Bool {
        bicAdvantage > Self.minimumBICAdvantage && separation > Self.minimumSeparation
            && min(weights.low, weights.high) >= Self.minimumWeight
    }

    public static func == (a: TwoLevelFit, b: TwoLevelFit) -> Bool {
        a.weights == b.weights && a.means == b.means && a.deviations == b.deviations && a.bicAdvantage == b.bicAdvantage
            && a.separation == b.separation && a.count == b.count
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(means.low)
        hasher.combine(means.high)
        hasher.combine(count)
    }

    /// At most this many readings are fitted: beyond, every k-th of the sorted readings (the same
    /// distribution at a fixed cost).
    public static let maximumReadings = 4000

    /// Fits `values`; nil for fewer than 8 finite values. Deterministic: k-means from a split at
    /// the median, then EM; standard deviations are floored at `floor` so that a level of
    /// identical readings does not collapse the likelihood.
    public init?(_ values: [Double], iterations: Int = 200, floor: Double = 0.005) {
        let all = values.filter(\.isFinite).sorted()
        let step = max(1, (all.count + Self.maximumReadings - 1) / Self.maximumReadings)
        let x = step == 1 ? all : stride(from: step / 2, to: all.count, by: step).map { all[$0] }
        let n = x.count
        guard n >= 8 else { return nil }
        let mean1 = x.reduce(0, +) / Double(n)
        let sd1 = max(floor, (x.reduce(0) { $0 + ($1 - mean1) * ($1 - mean1) } / Double(n)).squareRoot())
        let logLikelihood1 = x.reduce(0) { $0 + Self.logDensity($1, mean: mean1, sd: sd1) }

        // k-means (two centres) from the halves.
        var low = Statistics.median(Array(x[..<(n / 2)]))
        var high = Statistics.median(Array(x[(n / 2)...]))
        for _ in 0..<50 {
            let cut = (low + high) / 2
            let below = x.filter { $0 <= cut }
            let above = x.filter { $0 > cut }
            guard !below.isEmpty, !above.isEmpty else { break }
            low = below.reduce(0, +) / Double(below.count)
            high = above.reduce(0, +) / Double(above.count)
        }
        var weight = [0.5, 0.5]
        var mean = [low, high]
        var sd = [max(floor, sd1 / 2), max(floor, sd1 / 2)]
        var logLikelihood2 = -Double.infinity
        var responsibility = [[Double]](repeating: [Double](repeating: 0, count: n), count: 2)
        for _ in 0..<iterations {
            var total = 0.0
            for i in 0..<n {
                let a = log(max(weight[0], 1e-300)) + Self.logDensity(x[i], mean: mean[0], sd: sd[0])
                let b = log(max(weight[1], 1e-300)) + Self.logDensity(x[i], mean: mean[1], sd: sd[1])
                let top = max(a, b)
                let sum = top + log(exp(a - top) + exp(b - top))
                total += sum
                responsibility[0][i] = exp(a - sum)
                responsibility[1][i] = exp(b - sum)
            }
            for k in 0..<2 {
                let mass = responsibility[k].reduce(0, +)
                guard mass > 1e-9 else { continue }
                weight[k] = mass / Double(n)
                var weighted = 0.0
                for i in 0..<n { weighted += x[i] * responsibility[k][i] }
                mean[k] = weighted / mass
                var variance = 0.0
                for i in 0..<n { variance += responsibility[k][i] * (x[i] - mean[k]) * (x[i] - mean[k]) }
                sd[k] = max(floor, (variance / mass).squareRoot())
            }
            if abs(total - logLikelihood2) < 1e-10 {
                logLikelihood2 = total
                break
            }
            logLikelihood2 = total
        }
        let (l, h) = mean[0] <= mean[1] ? (0, 1) : (1, 0)
        weights = (weight[l], weight[h])
        means = (mean[l], mean[h])
        deviations = (sd[l], sd[h])
        let bic1 = -2 * logLikelihood1 + 2 * log(Double(n))
        let bic2 = -2 * logLikelihood2 + 5 * log(Double(n))
        bicAdvantage = bic1 - bic2
        separation = 2.squareRoot() * abs(mean[h] - mean[l]) / (sd[l] * sd[l] + sd[h] * sd[h]).squareRoot()
        count = all.count
    }

    /// The value between the two means where a reading is as likely to come from either level
    /// (their weights included): below it, from the lower one. Nil when the lower level is not the
    /// likelier one at its own mean, or the higher one not at its own (then nothing splits them).
    public var boundary: Double? {
        func lowerAdvantage(_ x: Double) -> Double {
            log(weights.low) + Self.logDensity(x, mean: means.low, sd: deviations.low)
                - log(weights.high) - Self.logDensity(x, mean: means.high, sd: deviations.high)
        }
        var (below, above) = (means.low, means.high)
        guard below < above, lowerAdvantage(below) > 0, lowerAdvantage(above) < 0 else { return nil }
        for _ in 0..<60 {
            let middle = (below + above) / 2
            if lowerAdvantage(middle) > 0 { below = middle } else { above = middle }
        }
        return (below + above) / 2
    }

    static func logDensity(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return -0.5 * z * z - log(sd) - 0.5 * log(2 * Double.pi)
    }
}
