import Foundation
import SeededRandom

/// Two sample sets of one case compared: the ratio of medians with a bootstrap interval, and the
/// Mann–Whitney U test's two-sided p-value. Computed here, with the rest of the statistics.
public struct SampleComparison: Codable, Hashable, Sendable {
    /// median(head) / median(base).
    public var ratio: Double
    /// Percentile-bootstrap 95% interval of the ratio of medians (base and head resampled
    /// independently).
    public var ci95Low: Double
    public var ci95High: Double
    /// Two-sided p-value of the Mann–Whitney U test (normal approximation with tie correction).
    public var pValue: Double

    enum CodingKeys: String, CodingKey {
        case ratio
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
        case pValue = "p_value"
    }

    public static func compare(base: [Double], head: [Double], seed: UInt64, resamples: Int = 2000) -> SampleComparison {
        let ratio = Statistics.median(head) / Statistics.median(base)
        var rng = SplitMix64(seed: seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        var a = base
        var b = head
        for _ in 0..<resamples {
            for i in a.indices { a[i] = base[Int.random(in: 0..<base.count, using: &rng)] }
            for i in b.indices { b[i] = head[Int.random(in: 0..<head.count, using: &rng)] }
            ratios.append(Statistics.median(b) / Statistics.median(a))
        }
        ratios.sort()
        return SampleComparison(
            ratio: ratio, ci95Low: Statistics.quantile(sorted: ratios, 0.025), ci95High: Statistics.quantile(sorted: ratios, 0.975),
            pValue: mannWhitneyP(base, head))
    }

    /// Two-sided p-value of the Mann–Whitney U test: normal approximation with continuity and tie
    /// corrections (adequate from about 8 samples per side; exact tables are not used).
    public static func mannWhitneyP(_ x: [Double], _ y: [Double]) -> Double {
        let n1 = Double(x.count)
        let n2 = Double(y.count)
        guard n1 > 0, n2 > 0 else { return 1 }
        let pooled = (x.map { ($0, 0) } + y.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: pooled.count)
        var tieTerm = 0.0
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[k] = rank }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let r1 = zip(pooled, ranks).filter { $0.0.1 == 0 }.reduce(0) { $0 + $1.1 }
        let u1 = r1 - n1 * (n1 + 1) / 2
        let mean = n1 * n2 / 2
        let n = n1 + n2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return 1 }
        let z = (abs(u1 - mean) - 0.5) / variance.squareRoot()
        return min(1, erfc(max(z, 0) / 2.squareRoot()))
    }
}
