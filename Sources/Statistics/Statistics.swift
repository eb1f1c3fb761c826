import BenchModel
import SeededRandom

/// The statistics of the engine. Every function takes unsorted samples unless it says otherwise.
public enum Statistics {
    /// Bootstrap resamples for the confidence interval of the median.
    public static let bootstrapResamples = 2000
    /// Above this many samples the interval of the median comes from order statistics (the
    /// distribution-free binomial interval, O(n) after the sort) instead of the bootstrap, whose
    /// cost grows as resamples × n log n (a case with 10⁶ samples took minutes).
    public static let bootstrapSampleLimit = 10_000
    /// The 97.5% quantile of the standard normal distribution: a 95% normal interval is ± this
    /// many standard deviations.
    public static let z975 = 1.959_963_984_540_054

    /// A bootstrap seed for the thing named `name` (a case id): `seed` mixed with the FNV-1a hash
    /// of the name, so that every case gets its own stream, the same on every machine.
    public static func seed(_ seed: UInt64, for name: String) -> UInt64 {
        seed ^ name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// All statistics of `samples` (at least one). The bootstrap is seeded by `seed`, so the same
    /// samples and seed give the same interval on every machine.
    public static func summarize(_ samples: [Double], seed: UInt64) -> SampleStatistics {
        precondition(!samples.isEmpty, "statistics of no samples")
        let sorted = samples.sorted()
        let median = medianOfSorted(sorted)
        let mean = samples.reduce(0, +) / Double(samples.count)
        let stddev = standardDeviation(samples)
        let (low, high) =
            samples.count > bootstrapSampleLimit
            ? orderStatisticMedianInterval(sorted: sorted)
            : bootstrapMedianInterval(samples, confidence: 0.95, resamples: bootstrapResamples, seed: seed)
        return SampleStatistics(
            count: samples.count,
            medianNs: median,
            madNs: Statistics.median(sorted.map { abs($0 - median) }),
            minNs: sorted[0],
            maxNs: sorted[sorted.count - 1],
            meanNs: mean,
            stddevNs: stddev,
            cv: mean != 0 ? stddev / mean : 0,
            ci95LowNs: low,
            ci95HighNs: high,
            outliers: tukeyOutliers(sorted: sorted))
    }

    /// The median: the middle value, or the mean of the two middle values for an even count.
    public static func median(_ values: [Double]) -> Double {
        medianOfSorted(values.sorted())
    }

    /// The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
    public static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }

    /// The robust standard deviation: 1.4826 × the median absolute deviation from the median (the
    /// normal σ for normal data; a few values far off do not move it). 0 for fewer than two values.
    public static func robustSD(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let center = median(values)
        return 1.4826 * median(values.map { abs($0 - center) })
    }

    /// The interquartile range over the median (type-7 quartiles): how widely values spread, as a
    /// fraction of their level, whatever a few far-off ones do. 0 for fewer than two values.
    public static func relativeInterquartileRange(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let sorted = values.sorted()
        return (quantile(sorted: sorted, 0.75) - quantile(sorted: sorted, 0.25)) / medianOfSorted(sorted)
    }

    static func medianOfSorted(_ sorted: [Double]) -> Double {
        let n = sorted.count
        guard n > 0 else { return .nan }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// Quantile `q` in [0, 1] of sorted values, interpolating linearly between order statistics
    /// (Hyndman & Fan type 7, the default of R and NumPy).
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// Counts of samples beyond Tukey's fences, from type-7 quartiles.
    public static func tukeyOutliers(sorted: [Double]) -> TukeyOutliers {
        let q1 = quantile(sorted: sorted, 0.25)
        let q3 = quantile(sorted: sorted, 0.75)
        let iqr = q3 - q1
        let lowFence = q1 - 1.5 * iqr
        let highFence = q3 + 1.5 * iqr
        let low = sorted.prefix { $0 < lowFence }.count
        let high = sorted.reversed().prefix { $0 > highFence }.count
        let severe = sorted.filter { $0 < q1 - 3 * iqr || $0 > q3 + 3 * iqr }.count
        return TukeyOutliers(low: low, high: high, severe: severe, lowFenceNs: lowFence, highFenceNs: highFence)
    }

    /// The distribution-free 95% interval of the median from sorted values: the order statistics
    /// n/2 ∓ 1.96 √n / 2 (the normal approximation of the binomial, good for large n).
    public static func orderStatisticMedianInterval(sorted: [Double]) -> (low: Double, high: Double) {
        let n = Double(sorted.count)
        guard sorted.count > 1 else { return (sorted.first ?? .nan, sorted.first ?? .nan) }
        let spread = z975 * n.squareRoot() / 2
        let low = max(0, Int((n / 2 - spread).rounded(.down)) - 1)
        let high = min(sorted.count - 1, Int((n / 2 + spread).rounded(.up)))
        return (sorted[low], sorted[high])
    }

    /// Percentile-bootstrap interval of the median: `resamples` resamples with replacement, the
    /// median of each, and the (1 − confidence)/2 and (1 + confidence)/2 quantiles of those.
    public static func bootstrapMedianInterval(
        _ samples: [Double], confidence: Double, resamples: Int, seed: UInt64
    ) -> (low: Double, high: Double) {
        guard samples.count > 1 else { return (samples.first ?? .nan, samples.first ?? .nan) }
        var rng = SplitMix64(seed: seed)
        var medians = [Double]()
        medians.reserveCapacity(resamples)
        var resample = [Double](repeating: 0, count: samples.count)
        for _ in 0..<resamples {
            for i in resample.indices {
                resample[i] = samples[Int.random(in: 0..<samples.count, using: &rng)]
            }
            resample.sort()
            medians.append(medianOfSorted(resample))
        }
        medians.sort()
        let tail = (1 - confidence) / 2
        return (quantile(sorted: medians, tail), quantile(sorted: medians, 1 - tail))
    }
}
