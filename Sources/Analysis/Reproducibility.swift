import BenchModel
import Foundation
import Statistics

/// The reproducibility of a set of runs of one build and one sweep: for every case present in all
/// of them, the run-to-run spread of each estimator and how often one run's interval held the
/// next run's estimate; the same for every within-round ratio (over every round and over the rounds at
/// the host's fast level) and difference.
public enum Reproducibility {
    /// The spread of `estimates` (one per run): SD and CV, pair coverage, typical interval width;
    /// the CV and the width over `scale` where given (a difference's: the mean time of the case it
    /// describes, ns, as the difference itself may lie near zero), else over the estimates' own
    /// mean and values.
    public static func spread(_ estimates: [IntervalEstimate], over scale: Double? = nil) -> Spread {
        let values = estimates.map(\.value)
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = Statistics.standardDeviation(values)
        let halfWidths = estimates.map { e in scale.map { (e.ci95High - e.ci95Low) / 2 / $0 } ?? e.relativeHalfWidth }
        let denominator = scale ?? mean
        var held = 0
        var pairs = 0
        for i in estimates.indices {
            for j in estimates.indices where i != j {
                pairs += 1
                if estimates[i].contains(estimates[j].value) { held += 1 }
            }
        }
        return Spread(
            values: values, cv: denominator != 0 ? sd / denominator : .nan, sd: sd,
            coverage: pairs > 0 ? Double(held) / Double(pairs) : .nan,
            medianHalfWidth: Statistics.median(halfWidths))
    }

    /// Compares `documents` (analysed runs, in order).
    public static func report(
        _ documents: [ResultsDocument], runs: [String], command: String = "sweep", sweepArguments: [String], startedAt: String,
        endedAt: String, runSeconds: [Double]
    ) -> ReproducibilityReport {
        let last = documents.last?.cases ?? []
        let byID = documents.map { Dictionary($0.cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        var cases: [CaseReproducibility] = []
        for c in last where c.estimates != nil {
            let all = byID.compactMap { $0[c.id]?.estimates }
            guard all.count == documents.count, all.count >= 2 else { continue }
            var spreads: [Estimator: Spread] = [:]
            for estimator in Estimator.allCases {
                let estimates = all.compactMap { $0[estimator] }
                if estimates.count == all.count { spreads[estimator] = spread(estimates) }
            }
            // Re-run intervals of the estimator the headline row compares (the last run's headline
            // estimator in every run, as a run may head a case with another one).
            let headline = c.estimates!.headline
            let reruns = zip(documents, all).compactMap { document, estimates in
                document.run.runLevel.flatMap { level in
                    estimates[headline].map { RunLevel.widened($0, sd: level.sd(forCase: c.id)) }
                }
            }
            cases.append(
                CaseReproducibility(
                    id: c.id, n: c.n, level: c.level, headline: headline, spreads: spreads,
                    rerun: reruns.count == all.count ? spread(reruns) : nil))
        }
        var figures: [FigureReproducibility] = []
        func figure(
            _ kind: String, _ subject: String, n: Int, over scale: Double? = nil, _ estimate: (ResultsDocument) -> IntervalEstimate?
        ) {
            let all = documents.compactMap(estimate)
            guard all.count == documents.count, all.count >= 2 else { return }
            figures.append(FigureReproducibility(kind: kind, subject: subject, n: n, spread: spread(all, over: scale)))
        }
        for ratio in documents.last?.analysis?.ratios ?? [] {
            figure(ratio.kind.rawValue, ratio.subject, n: ratio.n) { $0.analysis?.ratio(ratio.kind, of: ratio.subject)?.estimate }
            figure(RatioEstimate.fastLevelFigure(ratio.kind), ratio.subject, n: ratio.n) {
                $0.analysis?.ratio(ratio.kind, of: ratio.subject)?.fastLevel
            }
        }
        for difference in documents.last?.analysis?.differences ?? [] {
            // A difference's spread is read against the time of the call it is part of, over every
            // round as the difference is (ns: not the headline, which may be in probe units).
            let times = byID.compactMap { $0[difference.subject]?.estimates.map { ($0.blocked ?? $0.median).value } }
            let time = times.count == documents.count ? times.reduce(0, +) / Double(times.count) : nil
            figure(difference.kind.rawValue, difference.subject, n: difference.n, over: time) {
                $0.analysis?.difference(difference.kind, of: difference.subject)?.estimate
            }
        }
        var summary = Estimator.allCases.compactMap { estimator in
            summarize(estimator.rawValue, cases.compactMap { $0[estimator] })
        }
        if let headline = summarize("headline", cases.compactMap { $0[$0.headline] }) { summary.append(headline) }
        if let rerun = summarize(CaseEstimates.rerunName, cases.compactMap(\.rerun)) { summary.append(rerun) }
        let ratioKinds = RatioEstimate.Kind.allCases.flatMap { [$0.rawValue, RatioEstimate.fastLevelFigure($0)] }
        for kind in ratioKinds + DifferenceEstimate.Kind.allCases.map(\.rawValue) {
            if let line = summarize(kind, figures.filter { $0.kind == kind }.map(\.spread)) { summary.append(line) }
        }
        let processes = measuringProcesses(last)
        return ReproducibilityReport(
            command: command, sweepArguments: sweepArguments, runs: runs, startedAt: startedAt, endedAt: endedAt, runSeconds: runSeconds,
            cases: cases, ratios: figures, summary: summary,
            speedIndexMediansNs: documents.compactMap { $0.analysis?.speedIndex?.medianNs },
            bimodalRuns: documents.filter { $0.analysis?.speedIndex?.bimodal == true }.count,
            runLevel: RunLevel.spread(documents), processes: processes,
            expectedCoverage: processes.map { StudentT.pairCoverage(degreesOfFreedom: $0 >= 2 ? Double($0 - 1) : nil) })
    }

    /// The measuring processes behind the cases' intervals: the median over `cases` with estimates
    /// (Student t over them from two on; one process's interval is a bootstrap); nil without any.
    static func measuringProcesses(_ cases: [CaseResult]) -> Int? {
        let counts = cases.compactMap { $0.estimates.map { Double($0.processes) } }
        return counts.isEmpty ? nil : Int(Statistics.median(counts).rounded())
    }

    static func summarize(_ name: String, _ spreads: [Spread]) -> EstimatorSummary? {
        let valid = spreads.filter { $0.cv.isFinite && $0.coverage.isFinite }
        guard !valid.isEmpty else { return nil }
        return EstimatorSummary(
            name: name, cases: valid.count, medianCV: Statistics.median(valid.map(\.cv)), maximumCV: valid.map(\.cv).max()!,
            medianCoverage: Statistics.median(valid.map(\.coverage)), minimumCoverage: valid.map(\.coverage).min()!,
            shareCovered80: Double(valid.filter { $0.coverage >= 0.8 }.count) / Double(valid.count))
    }
}
