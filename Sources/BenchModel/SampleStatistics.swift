/// Summary statistics of one case's samples (ns per call), computed once, here, for every
/// consumer (summary table, JSON, reports, gate).
public struct SampleStatistics: Codable, Hashable, Sendable {
    public var count: Int
    public var medianNs: Double
    /// Median absolute deviation from the median, unscaled (multiply by 1.4826 for a normal σ).
    public var madNs: Double
    public var minNs: Double
    public var maxNs: Double
    public var meanNs: Double
    /// Sample standard deviation (n − 1).
    public var stddevNs: Double
    /// Coefficient of variation, stddev / mean.
    public var cv: Double
    /// Percentile-bootstrap 95% confidence interval of the median.
    public var ci95LowNs: Double
    public var ci95HighNs: Double
    /// Samples outside Tukey's fences (Q1 − 1.5 IQR, Q3 + 1.5 IQR).
    public var outliers: TukeyOutliers

    public init(
        count: Int, medianNs: Double, madNs: Double, minNs: Double, maxNs: Double, meanNs: Double,
        stddevNs: Double, cv: Double, ci95LowNs: Double, ci95HighNs: Double, outliers: TukeyOutliers
    ) {
        self.count = count
        self.medianNs = medianNs
        self.madNs = madNs
        self.minNs = minNs
        self.maxNs = maxNs
        self.meanNs = meanNs
        self.stddevNs = stddevNs
        self.cv = cv
        self.ci95LowNs = ci95LowNs
        self.ci95HighNs = ci95HighNs
        self.outliers = outliers
    }

    enum CodingKeys: String, CodingKey {
        case count
        case medianNs = "median_ns"
        case madNs = "mad_ns"
        case minNs = "min_ns"
        case maxNs = "max_ns"
        case meanNs = "mean_ns"
        case stddevNs = "stddev_ns"
        case cv
        case ci95LowNs = "ci95_low_ns"
        case ci95HighNs = "ci95_high_ns"
        case outliers
    }
}

/// Outlier counts by Tukey's fences: mild beyond 1.5 IQR, severe beyond 3 IQR (severe ones are
/// counted in `low`/`high` too).
public struct TukeyOutliers: Codable, Hashable, Sendable {
    public var low: Int
    public var high: Int
    public var severe: Int
    public var lowFenceNs: Double
    public var highFenceNs: Double

    public var total: Int { low + high }

    public init(low: Int, high: Int, severe: Int, lowFenceNs: Double, highFenceNs: Double) {
        self.low = low
        self.high = high
        self.severe = severe
        self.lowFenceNs = lowFenceNs
        self.highFenceNs = highFenceNs
    }

    enum CodingKeys: String, CodingKey {
        case low, high, severe
        case lowFenceNs = "low_fence_ns"
        case highFenceNs = "high_fence_ns"
    }
}
