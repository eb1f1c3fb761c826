/// How well a run's numbers hold in the next run: R independent sweeps of the same build and
/// options, each a separate process tree, compared case by case (`jsa-bench reproduce`).
public struct ReproducibilityReport: Codable, Sendable {
    public static let schemaVersion = "jsa-bench/reproducibility/v1"
    public var schema = ReproducibilityReport.schemaVersion
    /// The jsa-bench subcommand of the runs: `sweep`, or `python` for ladder runs compared with
    /// `reproduce --existing`; nil in reports written before it was recorded (they were sweeps).
    public var command: String?
    /// The command's arguments, as each run was started (without its output path).
    public var sweepArguments: [String]
    /// The results files, in run order.
    public var runs: [String]
    public var startedAt: String
    public var endedAt: String
    /// Wall time of each run, s.
    public var runSeconds: [Double]
    /// Per case and estimator.
    public var cases: [CaseReproducibility]
    /// Per within-round ratio and difference.
    public var ratios: [FigureReproducibility]
    /// Per estimator, over the cases: medians and extremes of the figures above.
    public var summary: [EstimatorSummary]
    /// The run-to-run spread of the speed index (the median probe time of each run, ns).
    public var speedIndexMediansNs: [Double]
    /// Runs whose speed index sat at two levels.
    public var bimodalRuns: Int
    /// How far whole runs sat from each other (`RunLevelSpread`): what a sweep's `--run-level`
    /// reads from this file. Nil in reports written before it was measured.
    public var runLevel: RunLevelSpread?
    /// The measuring processes behind each case's interval (the median over the last run's cases;
    /// 1: a bootstrap within one process), and the coverage honest intervals over that many give
    /// (`StudentT.pairCoverage`). Nil in reports written before they were recorded.
    public var processes: Int?
    public var expectedCoverage: Double?

    public init(
        command: String = "sweep", sweepArguments: [String], runs: [String], startedAt: String, endedAt: String, runSeconds: [Double],
        cases: [CaseReproducibility], ratios: [FigureReproducibility], summary: [EstimatorSummary],
        speedIndexMediansNs: [Double], bimodalRuns: Int, runLevel: RunLevelSpread? = nil, processes: Int? = nil,
        expectedCoverage: Double? = nil
    ) {
        self.command = command
        self.sweepArguments = sweepArguments
        self.runs = runs
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.runSeconds = runSeconds
        self.cases = cases
        self.ratios = ratios
        self.summary = summary
        self.speedIndexMediansNs = speedIndexMediansNs
        self.bimodalRuns = bimodalRuns
        self.runLevel = runLevel
        self.processes = processes
        self.expectedCoverage = expectedCoverage
    }

    /// The runs' command line as a reader would type it: `jsa-bench sweep --sizes …`.
    public var runCommandLine: String {
        (["jsa-bench", command ?? "sweep"] + sweepArguments).joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case schema, command
        case sweepArguments = "sweep_arguments"
        case runs
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case runSeconds = "run_seconds"
        case cases, ratios, summary
        case speedIndexMediansNs = "speed_index_medians_ns"
        case bimodalRuns = "bimodal_runs"
        case runLevel = "run_level"
        case processes
        case expectedCoverage = "expected_coverage"
    }
}

/// How one estimate of one case moved between runs, and whether its intervals held.
public struct Spread: Codable, Hashable, Sendable {
    /// The estimate in each run.
    public var values: [Double]
    /// Run-to-run coefficient of variation of the estimate: its standard deviation over its mean,
    /// or for a difference (ns, whose mean may lie near zero or below it) over the mean time of the
    /// case it describes — how much of the call the difference moves by.
    public var cv: Double
    /// Run-to-run standard deviation of the estimate, in its unit (ns for times and differences);
    /// nil in reports written before it was recorded.
    public var sd: Double?
    /// Share of ordered run pairs (i, j), i ≠ j, in which run j's estimate lies in run i's 95% interval.
    public var coverage: Double
    /// Median over runs of the interval's half width, as a fraction of the estimate (of a
    /// difference: of the mean time of the case it describes, as `cv`).
    public var medianHalfWidth: Double

    public init(values: [Double], cv: Double, sd: Double? = nil, coverage: Double, medianHalfWidth: Double) {
        self.values = values
        self.cv = cv
        self.sd = sd
        self.coverage = coverage
        self.medianHalfWidth = medianHalfWidth
    }

    enum CodingKeys: String, CodingKey {
        case values, cv, sd, coverage
        case medianHalfWidth = "median_half_width"
    }
}

/// One case across the runs, per estimator.
public struct CaseReproducibility: Codable, Hashable, Sendable {
    public var id: String
    public var n: Int
    /// The cache level of its working set.
    public var level: String
    /// The estimator its headline figure uses (as the last run's analysis chose).
    public var headline: Estimator
    public var spreads: [String: Spread]
    /// The spread of the re-run intervals (`CaseEstimates.rerun`) of `headline`'s estimates, where
    /// every run was given a run level.
    public var rerun: Spread?

    public init(id: String, n: Int, level: String, headline: Estimator, spreads: [Estimator: Spread], rerun: Spread? = nil) {
        self.id = id
        self.n = n
        self.level = level
        self.headline = headline
        self.spreads = Dictionary(uniqueKeysWithValues: spreads.map { ($0.key.rawValue, $0.value) })
        self.rerun = rerun
    }

    public subscript(_ estimator: Estimator) -> Spread? { spreads[estimator.rawValue] }
}

/// One within-round ratio or difference across the runs.
public struct FigureReproducibility: Codable, Hashable, Sendable {
    /// The ratio's or difference's kind (`speedup_over_scalar`, `swift_overhead`, ...).
    public var kind: String
    public var subject: String
    public var n: Int
    public var spread: Spread

    public init(kind: String, subject: String, n: Int, spread: Spread) {
        self.kind = kind
        self.subject = subject
        self.n = n
        self.spread = spread
    }
}

/// One estimator over every case: the typical and the worst of its spreads.
public struct EstimatorSummary: Codable, Hashable, Sendable {
    /// An estimator's name, `headline` for each case's headline estimator, or a ratio's or
    /// difference's kind.
    public var name: String
    public var cases: Int
    public var medianCV: Double
    public var maximumCV: Double
    public var medianCoverage: Double
    public var minimumCoverage: Double
    /// Share of the cases whose coverage is at least 80%.
    public var shareCovered80: Double

    public init(
        name: String, cases: Int, medianCV: Double, maximumCV: Double, medianCoverage: Double, minimumCoverage: Double,
        shareCovered80: Double
    ) {
        self.name = name
        self.cases = cases
        self.medianCV = medianCV
        self.maximumCV = maximumCV
        self.medianCoverage = medianCoverage
        self.minimumCoverage = minimumCoverage
        self.shareCovered80 = shareCovered80
    }

    enum CodingKeys: String, CodingKey {
        case name, cases
        case medianCV = "median_cv"
        case maximumCV = "maximum_cv"
        case medianCoverage = "median_coverage"
        case minimumCoverage = "minimum_coverage"
        case shareCovered80 = "share_covered_80"
    }
}
