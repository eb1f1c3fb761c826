import BenchModel
import Foundation
import Statistics

/// The analysis of a results document: every statistic, estimate, ratio and summary that a report,
/// an export, a comparison or the gate shows, computed here, once, from the raw samples alone.
///
/// Per case: the plain statistics of the samples (`stats`, and the rates from its median), the
/// comparisons with other cases of the same size by ratio of medians (`derived`, as v1 had them),
/// and the estimates (`estimates`: median, blocked, normalized, and which one heads the case).
/// Per size: ratios and differences between cases taken within rounds, the memory level of its
/// rounds, and the measuring processes apart. Per run: the speed index's distribution.
/// For a Python ladder: the overhead summary of each size.
public enum Analysis {
    /// Bootstrap resamples of the round intervals.
    public static let resamples = 1000

    /// The descriptions stored in `RunAnalysis.estimators`.
    public static let estimatorDescriptions: [String: String] = [
        Estimator.median.rawValue: "median of the samples; 95% interval: percentile bootstrap over samples treated as independent",
        Estimator.blocked.rawValue: "log times with each round's common part removed (median polish of cases x rounds); "
            + "95% interval: as wide as Student t over the levels of the measuring processes "
            + "(one process: moving-block bootstrap over its rounds)",
        Estimator.normalized.rawValue: "each sample at the host's fast level (see fast_level) over the median speed-probe "
            + "time of its round's samples at that level, then as blocked; samples at a slower level are left out (a case need "
            + "not slow as much as the probe there); unit: probe (this case's time / the probe's); same interval, absent "
            + "where fast_level is",
        Estimator.fastLevel.rawValue: "as blocked, from the samples whose speed probe ran at the host's fast level (below the "
            + "boundary of a two-level fit of the run's probe times, where it finds a level at least "
            + "\(Format.number(100 * (SpeedIndex.minimumSlowdown - 1), digits: 0))% slower and the fast level holds half the "
            + "samples, is tight under a broad slower one, or the slower level is at least "
            + "\(Format.number(100 * (SpeedIndex.distinctStateSlowdown - 1), digits: 0))% slower; every sample otherwise); "
            + "absent where fewer than two measuring processes took such a sample of the case",
        CaseEstimates.rerunName: "the headline estimate with the host's run-level spread (run.run_level: the standard deviation of whole "
            + "runs' common level over runs of reproduce on this machine class) added in quadrature to each side of its "
            + "interval on the log scale, as a 95% normal interval: where a re-run's headline estimate is expected; absent "
            + "when the run was given no spread",
        "tables": "a size's table of cases x rounds holds at most \(RoundTable.maximumRounds) rounds: beyond, every k-th "
            + "round in time order; stats (median, MAD, CV, ...) use every sample, with an order-statistic interval of the "
            + "median above \(Statistics.bootstrapSampleLimit) samples"
    ]

    /// Analyses `document` in place (idempotent: everything it sets is recomputed from the samples).
    public static func analyze(_ document: inout ResultsDocument) {
        let seed = document.run.seed
        var ratios: [RatioEstimate] = []
        var differences: [DifferenceEstimate] = []
        var processesApart: [ProcessApart] = []
        var memoryLevels: [MemoryLevelSummary] = []
        var speedReadings: [Double] = []
        var (probedSamples, samplesAtFastLevel) = (0, 0)
        let cut = HostSpeed.fastLevelCut(of: document)
        for group in groups(document.cases) {
            for index in group {
                summarize(&document.cases[index], seed: seed)
            }
            Derivation.derive(&document.cases, group: group)
            let table = RoundTable(cases: document.cases, indices: group, fastLevelCut: cut)
            estimate(&document.cases, table: table, seed: seed, cpuIdentity: document.environment.cpuIdentity)
            ratios += Ratios.estimate(document.cases, table: table, seed: seed)
            differences += Differences.estimate(document.cases, table: table, seed: seed)
            if !isPython(document.cases, group) {
                let memoryLevel = MemoryLevel(cases: document.cases, table: table)
                processesApart += ProcessesApart.find(document.cases, table: table, memoryLevel: memoryLevel)
                memoryLevels += memoryLevel.map { [$0.summary] } ?? []
                speedReadings += table.logSpeed.filter(\.isFinite)
                probedSamples += table.probedSamples
                samplesAtFastLevel += table.samplesAtFastLevel
            }
        }
        RunLevel.apply(&document)
        if var python = document.python {
            PythonSummary.fill(&python, from: document.cases)
            document.python = python
        }
        document.analysis = RunAnalysis(
            estimators: estimatorDescriptions,
            speedIndex: SpeedIndex.summarize(speedReadings, probedSamples: probedSamples, samplesAtFastLevel: samplesAtFastLevel),
            pauses: pauses(document.cases), ratios: ratios, differences: differences, processesApart: processesApart,
            memoryLevels: memoryLevels)
        let overheadUnder5PercentFrom = document.pythonOverheadUnder5PercentFrom
        let overheadIntervalUnder5PercentFrom = document.pythonOverheadIntervalUnder5Percent.size
        document.python?.overheadUnder5PercentFrom = overheadUnder5PercentFrom
        document.python?.overheadIntervalUnder5PercentFrom = overheadIntervalUnder5PercentFrom
    }

    /// What pauses cost the samples timed in epochs (`PauseSummary`); nil where none was.
    static func pauses(_ cases: [CaseResult]) -> PauseSummary? {
        let shares = cases.flatMap { c -> [Double] in
            guard let walls = c.samplesWallNs, walls.count == c.samplesNs.count else { return [] }
            return zip(c.samplesNs, walls).compactMap { ns, wall in wall > 0 && ns > 0 ? max(0, 1 - ns / wall) : nil }
        }.sorted()
        guard !shares.isEmpty else { return nil }
        return PauseSummary(
            samples: shares.count, medianShare: Statistics.quantile(sorted: shares, 0.5),
            p90Share: Statistics.quantile(sorted: shares, 0.9))
    }

    /// The log probe time before every timed sample of the run. The host's fast level is the run's:
    /// fitted per size, a size whose samples fell mostly on a slow stretch had its few fast ones
    /// taken for too few to count, and its estimate was the slow level's (`docs/measuring.md`).
    static func logProbes(_ cases: [CaseResult]) -> [Double] {
        cases.flatMap { c -> [Double] in
            guard let probes = c.probesNs else { return [] }
            return zip(c.samplesNs, probes).compactMap { ns, probe in ns > 0 && ns.isFinite && probe > 0 ? log(probe) : nil }
        }
    }

    /// Indices of the cases sampled together: per size, the native, batch and reference cases,
    /// and apart from them the Python ladder's rungs (timed in the helper process).
    static func groups(_ cases: [CaseResult]) -> [[Int]] {
        var order: [String] = []
        var byKey: [String: [Int]] = [:]
        for (index, c) in cases.enumerated() {
            let key = "\(c.n)/\(c.kind.map { if case .python = $0 { return "python" } else { return "sweep" } } ?? "other")"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(index)
        }
        return order.map { byKey[$0]! }
    }

    static func isPython(_ cases: [CaseResult], _ group: [Int]) -> Bool {
        group.allSatisfy { if case .python = cases[$0].kind { return true } else { return false } }
    }

    /// The plain statistics and rates of one case (nothing when it has no samples).
    static func summarize(_ c: inout CaseResult, seed: UInt64) {
        guard !c.samplesNs.isEmpty else {
            c.stats = nil
            c.perElementNs = nil
            c.gbps = nil
            return
        }
        let stats = Statistics.summarize(c.samplesNs, seed: Statistics.seed(seed, for: c.id))
        c.stats = stats
        c.perElementNs = stats.medianNs / Double(max(c.n, 1))
        c.gbps = c.bytesPerCall > 0 ? Double(c.bytesPerCall) / stats.medianNs : nil
    }

    /// The estimates of every case of `table`, raw (`blocked`) and over the speed index
    /// (`normalized`): the level of each case once what its rounds had in common is removed.
    ///
    /// The estimate is the median polish of all rounds. With two or more measuring processes, each
    /// process also gives its own level (the polish of its rounds), and the processes are the
    /// replicates of the interval: as wide as Student's t over their levels, which holds what
    /// differs between processes — where their buffers landed, and which stretch of the run they
    /// measured. With one process, the interval is the moving-block bootstrap over its rounds.
    static func estimate(_ cases: inout [CaseResult], table: RoundTable, seed: UInt64, cpuIdentity: String?) {
        let levels = Levels(table: table, seed: Statistics.seed(seed, for: "rounds/\(table.caseIndices.map { cases[$0].id }.first ?? "")"))
        let memcpy = table.caseIndices.indices.first { cases[table.caseIndices[$0]].kind == .reference(.memcpy) }.flatMap { row in
            levels.estimate(row: row).map { (estimate: $0, bytes: cases[table.caseIndices[row]].bytesPerCall) }
        }
        for (row, index) in table.caseIndices.enumerated() {
            guard let stats = cases[index].stats else {
                cases[index].estimates = nil
                continue
            }
            let rounds = table.logTimes[row].filter(\.isFinite).count
            let hasSpeed = table.hasSpeed(row: row)
            let normalized = hasSpeed ? levels.estimate(row: row, reading: .normalized) : nil
            let atFastLevel = hasSpeed ? levels.estimate(row: row, reading: .atFastLevel) : nil
            let blocked = levels.estimate(row: row)
            cases[index].estimates = CaseEstimates(
                median: IntervalEstimate(value: stats.medianNs, ci95Low: stats.ci95LowNs, ci95High: stats.ci95HighNs),
                blocked: blocked, normalized: normalized, fastLevel: atFastLevel,
                headline: HeadlinePolicy.estimator(
                    for: cases[index], blocked: blocked, normalized: normalized, fastLevel: atFastLevel, memcpy: memcpy,
                    cpuIdentity: cpuIdentity),
                rounds: rounds, processes: levels.processes)
        }
    }
}

/// The levels of a table's cases in each of its readings (`RoundTable.Reading`) with their
/// intervals, by the processes as replicates or, for one process, the block bootstrap.
struct Levels {
    let processes: Int
    private let rows: Int
    /// Reading by reading, row by row.
    private let estimates: [IntervalEstimate?]

    init(table: RoundTable, seed: UInt64) {
        let readings = RoundTable.Reading.allCases
        let rows = table.caseIndices.count
        self.rows = rows
        let groups = table.processColumns
        processes = groups.count
        func levels(_ columns: [Int], sweeps: Int = 10) -> [Double] {
            readings.flatMap { table.levels(columns, reading: $0, sweeps: sweeps) }
        }
        let all = levels(Array(table.rounds.indices))
        if groups.count >= 2 {
            let perProcess = groups.map { levels($0) }
            // A process with no sample of a case in a reading (every one of them taken at the slow
            // level) leaves it fewer replicates: its interval takes their t, and a comparison, which
            // reads the degrees of freedom off the process count, errs wide. Two replicates of three
            // or more processes say little of the spread between processes (Student's t at one
            // degree of freedom, 12.7): a fast-level reading left with two takes that spread from the
            // case's levels over every sample (`times`), which every process gives and the host's
            // levels widen, at their degrees of freedom, over its two replicates.
            let fewReplicates = min(3, groups.count)
            estimates = all.indices.map { output in
                guard all[output].isFinite, let replicates = ReplicateInterval(perProcess.map { $0[output] }) else { return nil }
                var half = (replicates.high - replicates.low) / 2
                let row = output % max(rows, 1)
                if readings[output / max(rows, 1)] != .times, replicates.replicates < fewReplicates,
                    let everyProcess = ReplicateInterval(perProcess.map { $0[row] }), everyProcess.replicates > replicates.replicates
                {
                    half =
                        (everyProcess.high - everyProcess.low) / 2
                        * (Double(everyProcess.replicates) / Double(replicates.replicates)).squareRoot()
                }
                return IntervalEstimate(value: exp(all[output]), ci95Low: exp(all[output] - half), ci95High: exp(all[output] + half))
            }
        } else {
            let bounds = table.layout.intervals(outputs: all.count, resamples: Analysis.resamples, seed: seed) { resample in
                levels(table.columns(resample), sweeps: 3)
            }
            estimates = all.indices.map { output in
                let samples = table.samples(row: output % max(rows, 1), reading: readings[output / max(rows, 1)])
                guard all[output].isFinite, bounds[output].low.isFinite, samples >= 2 else { return nil }
                return IntervalEstimate(
                    value: exp(all[output]), ci95Low: exp(min(bounds[output].low, all[output])),
                    ci95High: exp(max(bounds[output].high, all[output])))
            }
        }
    }

    func estimate(row: Int, reading: RoundTable.Reading = .times) -> IntervalEstimate? {
        estimates[RoundTable.Reading.allCases.firstIndex(of: reading)! * rows + row]
    }
}
