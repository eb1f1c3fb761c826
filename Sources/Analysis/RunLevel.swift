import BenchModel
import Foundation
import Statistics

/// The run level (`RunLevelSpread`): measured over runs of one sweep, and added to a run's
/// headline intervals as its re-run intervals.
public enum RunLevel {
    /// The spread of the runs' levels, from the estimates of the cases present with estimates in
    /// every one of `documents` (analysed runs, in order): each case by the last run's headline
    /// estimator in every run, as a run may head a case with another one (normalized in one run,
    /// nanoseconds in the next, where a case's time per byte sits near the core-bound factor) —
    /// by the blocked one where a run lacks that estimator (no sample of the case at the fast
    /// level). Nil for fewer than two runs or no such case.
    public static func spread(_ documents: [ResultsDocument]) -> RunLevelSpread? {
        guard documents.count >= 2, let last = documents.last else { return nil }
        // Each case on the last run's headline estimator where every run has it, else on the
        // blocked one (a run that saw no fast level has no fast_level estimate to compare).
        let estimates = documents.map { document in
            Dictionary(document.cases.compactMap { c in c.estimates.map { (c.id, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        let estimators = Dictionary(
            last.cases.compactMap { c -> (String, Estimator)? in
                guard let headline = c.estimates?.headline else { return nil }
                return (c.id, estimates.allSatisfy { $0[c.id]?[headline] != nil } ? headline : .blocked)
            }, uniquingKeysWith: { a, _ in a })
        let byID = estimates.map { run in
            Dictionary(
                estimators.compactMap { id, estimator in run[id]?[estimator].map { (id, log($0.value)) } },
                uniquingKeysWith: { a, _ in a })
        }
        let common = last.cases.map(\.id).filter { id in byID.allSatisfy { $0[id]?.isFinite == true } }
        guard !common.isEmpty else { return nil }
        let centers = Dictionary(uniqueKeysWithValues: common.map { id in (id, Statistics.median(byID.map { $0[id]! })) })
        let levels = byID.map { logs in Statistics.median(common.map { logs[$0]! - centers[$0]! }) }
        let middle = Statistics.median(levels)
        let beyond = max(RunLevelSpread.apartBeyond * Statistics.robustSD(levels), RunLevelSpread.apartAtLeast)
        let apart = levels.indices.filter { abs(levels[$0] - middle) > beyond }
        let together = levels.indices.filter { !apart.contains($0) }.map { levels[$0] }
        // Each case's own spread over the same runs.
        let sdByCase = Dictionary(
            common.map { id in (id, Statistics.standardDeviation(levels.indices.filter { !apart.contains($0) }.map { byID[$0][id]! })) },
            uniquingKeysWith: { a, _ in a })
        let withinRun = documents.compactMap { document -> Double? in
            let levels = processLevels(document)
            return levels.count >= 2 ? Statistics.standardDeviation(levels) / Double(levels.count).squareRoot() : nil
        }
        return RunLevelSpread(
            sd: Statistics.standardDeviation(together), levels: levels, apart: apart.map { $0 + 1 },
            withinRunSE: withinRun.isEmpty ? nil : Statistics.median(withinRun), measuredAt: last.run.endedAt ?? last.run.startedAt,
            machine: MachineClass(last.environment), epochsPerSample: last.run.epochsPerSample,
            sdByCase: together.count >= 2 ? sdByCase : nil)
    }

    /// Each measuring process's level in one run (log units), in process order: the median over
    /// the run's cases of the log of the process's median sample over the case's median of those
    /// over processes. Empty for a run of one process or without process labels.
    static func processLevels(_ document: ResultsDocument) -> [Double] {
        var deviations: [Int: [Double]] = [:]
        for c in document.cases {
            guard let processes = c.sampleProcesses, processes.count == c.samplesNs.count else { continue }
            var logs: [Int: [Double]] = [:]
            for (sample, process) in zip(c.samplesNs, processes) where sample > 0 && sample.isFinite {
                logs[process, default: []].append(log(sample))
            }
            guard logs.count >= 2 else { continue }
            let medians = logs.mapValues { Statistics.median($0) }
            let center = Statistics.median(Array(medians.values))
            for (process, median) in medians { deviations[process, default: []].append(median - center) }
        }
        return deviations.keys.sorted().map { Statistics.median(deviations[$0]!) }
    }

    /// `spread.sdByCase` in a few words: `median 0.20%, largest 10.94% (ID)`; nil without it.
    public static func caseSpreadSummary(_ spread: RunLevelSpread) -> String? {
        guard let sdByCase = spread.sdByCase, let largest = sdByCase.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else {
            return nil
        }
        return "median \(Format.number(100 * Statistics.median(Array(sdByCase.values)), digits: 2))%, "
            + "largest \(Format.number(100 * largest.value, digits: 2))% (\(largest.key))"
    }

    /// `estimate` with `sd` (log units) added to each side of its interval in quadrature, as a
    /// 95% normal interval of the run level: the within-run half-width h becomes
    /// √(h² + (1.96 · sd)²) on the log scale, so the value stays where it is.
    public static func widened(_ estimate: IntervalEstimate, sd: Double) -> IntervalEstimate {
        guard estimate.value > 0, estimate.ci95Low > 0, estimate.ci95High > 0 else { return estimate }
        let level = Statistics.z975 * sd
        let center = log(estimate.value)
        let below = (center - log(estimate.ci95Low)).magnitude
        let above = (log(estimate.ci95High) - center).magnitude
        return IntervalEstimate(
            value: estimate.value, ci95Low: exp(center - (below * below + level * level).squareRoot()),
            ci95High: exp(center + (above * above + level * level).squareRoot()))
    }

    /// What whole runs add to the difference of two runs' estimates of the case `id` (nil: over
    /// every case): the standard error √(sd_base² + sd_head²) (log units) of their `run.run_level`
    /// spreads for that case — a run given none takes the other's — with the degrees of freedom of
    /// the spread measured over fewer runs (its runs not apart, less one). Nil when neither run was
    /// given one.
    public static func betweenRuns(base: ResultsDocument, head: ResultsDocument, case id: String? = nil) -> (se: Double, df: Double?)? {
        guard let either = base.run.runLevel ?? head.run.runLevel else { return nil }
        let spreads = [base.run.runLevel ?? either, head.run.runLevel ?? either]
        let df = spreads.map { Double($0.runsNotApart - 1) }.min()!
        let sds = spreads.map { $0.sd(forCase: id) }
        return (sds.reduce(0) { $0 + $1 * $1 }.squareRoot(), df >= 1 ? df : nil)
    }

    /// Sets every case's re-run interval from `document.run.runLevel`, with the case's own spread
    /// where it was measured (clears them without one).
    static func apply(_ document: inout ResultsDocument) {
        for index in document.cases.indices {
            guard var estimates = document.cases[index].estimates else { continue }
            let id = document.cases[index].id
            estimates.rerun = document.run.runLevel.map { widened(estimates.headlineEstimate, sd: $0.sd(forCase: id)) }
            document.cases[index].estimates = estimates
        }
    }
}
