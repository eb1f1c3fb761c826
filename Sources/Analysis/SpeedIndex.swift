import BenchModel
import Foundation
import Statistics

/// The run's speed index: the distribution of its rounds' speed readings, and whether they sat at
/// two levels.
enum SpeedIndex {
    /// The summary of `logSpeeds` (log of each round's median probe time); nil without readings.
    static func summarize(_ logSpeeds: [Double]) -> SpeedIndexSummary? {
        guard !logSpeeds.isEmpty else { return nil }
        let sorted = logSpeeds.sorted()
        let fit = TwoLevelFit(logSpeeds)
        return SpeedIndexSummary(
            rounds: logSpeeds.count, medianNs: exp(Statistics.quantile(sorted: sorted, 0.5)),
            p5Ns: exp(Statistics.quantile(sorted: sorted, 0.05)), p95Ns: exp(Statistics.quantile(sorted: sorted, 0.95)),
            bimodal: fit?.isBimodal ?? false,
            levels: fit.map {
                [
                    SpeedLevel(probeNs: exp($0.means.low), share: $0.weights.low),
                    SpeedLevel(probeNs: exp($0.means.high), share: $0.weights.high)
                ]
            } ?? [],
            bicAdvantage: fit?.bicAdvantage, separation: fit?.separation)
    }
}
