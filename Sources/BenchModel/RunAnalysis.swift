/// What the analysis of a run found (`Analysis.analyze`): per case its estimates, per size the
/// ratios between cases taken within rounds, and what the speed index did. Computed once per
/// results document, from its raw samples alone, and stored with it.

/// The estimators, by the name each figure of a report cites.
public enum Estimator: String, Codable, CaseIterable, Sendable {
    /// The plain median of the samples, with a percentile-bootstrap interval over samples (as if
    /// independent): the v1 figure, kept for comparison.
    case median
    /// Log times with what each round had in common removed (Tukey's median polish of the size's
    /// cases × rounds), back in ns. The interval is as wide as Student's t over the levels of the
    /// measuring processes (which holds what differs between processes and between the stretches
    /// of the run they measured); with one process, a moving-block bootstrap over its rounds, so
    /// time-correlated noise widens it.
    case blocked
    /// Each sample divided by the speed index of its round (the median speed-probe time), then as
    /// `blocked`: time in units of the probe, which cancels how fast the host let the core run —
    /// where the case slows down as the probe does. In a round that also had samples at the fast
    /// level (`fastLevel`), only those count, over their own median probe.
    case normalized
    /// As `blocked`, from the samples whose speed probe (timed right before each sample) ran at the
    /// host's fast level: where the run's probe times sit at a fast level and a slower one, the
    /// samples taken at the slower one are left out, so that a stretch of slow samples in one
    /// process no longer moves that process's level. Every sample with a probe counts when the
    /// probes show no slower level.
    case fastLevel = "fast_level"

    /// The unit of the estimator's values.
    public var unit: String {
        switch self {
        case .median, .blocked, .fastLevel: return "ns"
        case .normalized: return "probe"
        }
    }
}

/// An estimate and its 95% interval.
public struct IntervalEstimate: Codable, Hashable, Sendable {
    public var value: Double
    public var ci95Low: Double
    public var ci95High: Double

    public init(value: Double, ci95Low: Double, ci95High: Double) {
        self.value = value
        self.ci95Low = ci95Low
        self.ci95High = ci95High
    }

    /// Whether `x` lies in the interval (ends included).
    public func contains(_ x: Double) -> Bool { x >= ci95Low && x <= ci95High }

    /// Half the interval's width as a fraction of the value (0.03 = ±3%).
    public var relativeHalfWidth: Double { (ci95High - ci95Low) / 2 / value }

    enum CodingKeys: String, CodingKey {
        case value
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
    }
}

/// A case's estimates, one per estimator that applies, and which of them its headline figure uses.
public struct CaseEstimates: Codable, Hashable, Sendable {
    /// ns per call.
    public var median: IntervalEstimate
    /// ns per call; nil for a case with one round.
    public var blocked: IntervalEstimate?
    /// Probe units (this case's time / the speed probe's time in the same round); nil without probes.
    public var normalized: IntervalEstimate?
    /// ns per call, from the samples taken at the host's fast level; nil without probes, or where
    /// fewer than two measuring processes took such a sample of the case.
    public var fastLevel: IntervalEstimate?
    /// The headline estimate with the host's run-level spread added to its interval
    /// (`RunInfo.runLevel`): where a re-run's headline estimate is expected; nil when the run was
    /// given no spread.
    public var rerun: IntervalEstimate?
    /// The name of `rerun` in the JSON, the estimator descriptions and the reproducibility summary.
    public static let rerunName = "rerun"
    /// The estimator of the case's headline figure.
    public var headline: Estimator
    /// Rounds and processes the case's samples came from.
    public var rounds: Int
    public var processes: Int

    public init(
        median: IntervalEstimate, blocked: IntervalEstimate?, normalized: IntervalEstimate?, fastLevel: IntervalEstimate? = nil,
        headline: Estimator, rounds: Int, processes: Int
    ) {
        self.median = median
        self.blocked = blocked
        self.normalized = normalized
        self.fastLevel = fastLevel
        self.headline = headline
        self.rounds = rounds
        self.processes = processes
    }

    enum CodingKeys: String, CodingKey {
        case median, blocked, normalized
        case fastLevel = "fast_level"
        case rerun, headline, rounds, processes
    }

    /// The estimate of `estimator`, where it applies.
    public subscript(_ estimator: Estimator) -> IntervalEstimate? {
        switch estimator {
        case .median: return median
        case .blocked: return blocked
        case .normalized: return normalized
        case .fastLevel: return fastLevel
        }
    }

    /// The headline estimate.
    public var headlineEstimate: IntervalEstimate { self[headline] ?? median }
}

/// A ratio of two cases' times at one size, taken within rounds: per round the ratio of the two
/// samples, then the median over rounds, with the rounds' bootstrap interval. Machine speed that
/// slows both alike cancels in each round.
public struct RatioEstimate: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// scalar / this kernel, same variant: above 1, faster than scalar.
        case speedupOverScalar = "speedup_over_scalar"
        /// this case / memcpy of the same n: below 1, faster than a copy of the same bytes.
        case fractionOfMemcpy = "fraction_of_memcpy"
        /// this case / STREAM add of the same n.
        case fractionOfStreamAdd = "fraction_of_stream_add"
        /// this case / a vector copy loop of the same n (also memcpy's own: above 1, glibc's
        /// memcpy is slower than a plain copy of the same bytes at this size).
        case fractionOfCopyLoop = "fraction_of_copy_loop"
        /// allocating / direct-write, same kernel.
        case allocOverInto = "alloc_over_into"
        /// 4K-aliased output / direct-write, same kernel.
        case aliasedOverInto = "aliased_over_into"
        /// an input off its cache line (`into_offset`) / direct-write, same kernel.
        case offsetOverInto = "offset_over_into"
        /// direct-write through the Swift API / the same kernel called from C on the same buffers.
        case intoOverBareC = "into_over_bare_c"
        /// `auto` / the fastest explicit kernel of the same variant at this size (the one with the
        /// lowest fast-level estimate, blocked where it has none; `reference` names it): above 1, `auto` chose a slower kernel
        /// than this run's best, or its dispatch costs.
        case autoOverBest = "auto_over_best"
        /// single-thread batch / all-cores batch.
        case allCoresSpeedup = "all_cores_speedup"
        /// Python: the NumPy baseline / `jsa(x, p, out=o)`, per loop iteration.
        case speedupOverNumpy = "speedup_over_numpy"
    }

    public var kind: Kind
    public var n: Int
    /// The case the ratio describes, and the case it is compared with.
    public var subject: String
    public var reference: String
    /// numerator time / denominator time as `kind` defines them.
    public var estimate: IntervalEstimate
    /// Rounds that held both cases.
    public var rounds: Int
    /// The same ratio over the rounds in which both cases' samples ran at the host's fast level
    /// (their speed probes below the run's fast-level cut; every probed round where the run had one
    /// level): where the host's slower level slows the two cases by different factors — a core-bound
    /// case more than one waiting on memory — the ratio moves with the share of rounds spent there,
    /// and this one does not. Nil with fewer than 2 such rounds, and in documents written before it.
    public var fastLevel: IntervalEstimate?
    /// Rounds in which both cases ran at the fast level.
    public var fastLevelRounds: Int?

    /// The figure reports, charts, conclusions and budgets use: the ratio at the fast level where
    /// the run has one, as their times use the fast-level estimate; over every round otherwise. In
    /// the reference run of 2026-12-04 (AMD EPYC Zen 4 guest, two thirds of its samples at the fast
    /// level) `into` at n = 1000 took 1.307× memcpy's time with avx512 and 1.221× with `auto`, the
    /// same code, over every round, and 1.174× and 1.169× at the fast level.
    public var headline: IntervalEstimate { fastLevel ?? estimate }

    public init(
        kind: Kind, n: Int, subject: String, reference: String, estimate: IntervalEstimate, rounds: Int,
        fastLevel: IntervalEstimate? = nil, fastLevelRounds: Int? = nil
    ) {
        self.kind = kind
        self.n = n
        self.subject = subject
        self.reference = reference
        self.estimate = estimate
        self.rounds = rounds
        self.fastLevel = fastLevel
        self.fastLevelRounds = fastLevelRounds
    }

    /// The name of `kind` over the fast level's rounds in reproducibility tables
    /// (`speedup_over_scalar@fast_level`).
    public static func fastLevelFigure(_ kind: Kind) -> String { kind.rawValue + "@fast_level" }

    enum CodingKeys: String, CodingKey {
        case kind, n, subject, reference, estimate, rounds
        case fastLevel = "fast_level"
        case fastLevelRounds = "fast_level_rounds"
    }
}

/// A difference of cases' times at one size, in ns, taken within rounds (per round the sum of the
/// cases' samples with their signs, then the median over rounds), with its interval.
public struct DifferenceEstimate: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// `jsa` − `jsaInto` − (malloc + free of n doubles), same kernel: what allocating the output
        /// costs beyond the allocator's own work.
        case allocationExcess = "allocation_excess"
        /// `jsa` − `jsaInto` − (a Swift `[Double]` of n created and released), same kernel: what
        /// `jsa` adds beyond the array it must return.
        case arrayExcess = "array_excess"
        /// `jsaInto` − the bare C call, same kernel: what the Swift API adds to a call.
        case swiftOverhead = "swift_overhead"
        /// Python: `jsa(x, p, out=o)` − the native rung − the empty loop: a call's cost over native.
        case pythonCallOverheadOut = "python_call_overhead_out"
        /// Python: `jsa(x, p)` − the native rung − the empty loop.
        case pythonCallOverheadAlloc = "python_call_overhead_alloc"
    }

    public var kind: Kind
    public var n: Int
    /// The case the difference describes.
    public var subject: String
    /// ns per call.
    public var estimate: IntervalEstimate
    public var rounds: Int

    public init(kind: Kind, n: Int, subject: String, estimate: IntervalEstimate, rounds: Int) {
        self.kind = kind
        self.n = n
        self.subject = subject
        self.estimate = estimate
        self.rounds = rounds
    }
}

/// What the speed index did during the run: its distribution over rounds, and whether it sat at
/// two levels (a host switching speed) or one.
public struct SpeedIndexSummary: Codable, Hashable, Sendable {
    /// Rounds with a speed reading.
    public var rounds: Int
    /// The speed index (median probe time of a round), ns: median, 5th and 95th percentile.
    public var medianNs: Double
    public var p5Ns: Double
    public var p95Ns: Double
    /// Two levels, strongly supported and cleanly apart (TwoLevelFit).
    public var bimodal: Bool
    /// The two fitted levels (probe ns) and their shares of the rounds, when the fit ran.
    public var levels: [SpeedLevel]
    /// BIC of one level minus BIC of two (above 10: strong evidence), and Ashman's D (above 2: apart).
    public var bicAdvantage: Double?
    public var separation: Double?
    /// The share of the samples (with a probe) taken at the host's fast level: the samples behind
    /// the `fast_level` estimates (1 where no slower level showed). Nil in older documents.
    public var shareAtFastLevel: Double?

    public init(
        rounds: Int, medianNs: Double, p5Ns: Double, p95Ns: Double, bimodal: Bool, levels: [SpeedLevel],
        bicAdvantage: Double?, separation: Double?, shareAtFastLevel: Double? = nil
    ) {
        self.shareAtFastLevel = shareAtFastLevel
        self.rounds = rounds
        self.medianNs = medianNs
        self.p5Ns = p5Ns
        self.p95Ns = p95Ns
        self.bimodal = bimodal
        self.levels = levels
        self.bicAdvantage = bicAdvantage
        self.separation = separation
    }

    enum CodingKeys: String, CodingKey {
        case rounds
        case medianNs = "median_ns"
        case p5Ns = "p5_ns"
        case p95Ns = "p95_ns"
        case bimodal, levels
        case bicAdvantage = "bic_advantage"
        case separation
        case shareAtFastLevel = "share_at_fast_level"
    }
}

/// One level of the speed index: the probe's time there, and the share of rounds at it.
public struct SpeedLevel: Codable, Hashable, Sendable {
    public var probeNs: Double
    public var share: Double

    public init(probeNs: Double, share: Double) {
        self.probeNs = probeNs
        self.share = share
    }

    enum CodingKeys: String, CodingKey {
        case probeNs = "probe_ns"
        case share
    }
}

/// The run-level part of the analysis.
public struct RunAnalysis: Codable, Sendable {
    /// What each estimator is, in words, for any reader of the file.
    public var estimators: [String: String]
    public var speedIndex: SpeedIndexSummary?
    /// What the pauses within samples cost, where samples were timed in epochs.
    public var pauses: PauseSummary?
    public var ratios: [RatioEstimate]
    public var differences: [DifferenceEstimate]
    /// The measuring processes that read a case far from the others (`ProcessApart`); nil in
    /// documents analysed before they were looked for.
    public var processesApart: [ProcessApart]?
    /// Per size with two or more copy references, how fast its rounds reached the caches and
    /// memory (`MemoryLevelSummary`); nil in documents analysed before it was read.
    public var memoryLevels: [MemoryLevelSummary]?

    public init(
        estimators: [String: String], speedIndex: SpeedIndexSummary?, pauses: PauseSummary? = nil, ratios: [RatioEstimate],
        differences: [DifferenceEstimate], processesApart: [ProcessApart]? = nil, memoryLevels: [MemoryLevelSummary]? = nil
    ) {
        self.estimators = estimators
        self.speedIndex = speedIndex
        self.pauses = pauses
        self.ratios = ratios
        self.differences = differences
        self.processesApart = processesApart
        self.memoryLevels = memoryLevels
    }

    enum CodingKeys: String, CodingKey {
        case estimators
        case speedIndex = "speed_index"
        case pauses, ratios, differences
        case processesApart = "processes_apart"
        case memoryLevels = "memory_levels"
    }

    /// The difference of `kind` describing `subject`, if measured.
    public func difference(_ kind: DifferenceEstimate.Kind, of subject: String) -> DifferenceEstimate? {
        differences.first { $0.kind == kind && $0.subject == subject }
    }

    /// The ratio of `kind` describing `subject`, if measured.
    public func ratio(_ kind: RatioEstimate.Kind, of subject: String) -> RatioEstimate? {
        ratios.first { $0.kind == kind && $0.subject == subject }
    }
}

/// What pauses cost the samples timed in epochs: per sample, the share of its wall time beyond
/// what its median epoch's pace would take (1 − median epoch ns per call / wall ns per call), the
/// time the vCPU spent taken away or otherwise stalled in a minority of the sample's epochs. The
/// estimates leave it out; this says how much there was.
public struct PauseSummary: Codable, Sendable, Hashable {
    /// Samples timed in two or more epochs (the native cases of calls shorter than a sample).
    public var samples: Int
    /// Median and 90th percentile of the share over those samples (0.02 = 2%; a sample whose
    /// median epoch was slower than its average, a negative share, counts as 0).
    public var medianShare: Double
    public var p90Share: Double

    public init(samples: Int, medianShare: Double, p90Share: Double) {
        self.samples = samples
        self.medianShare = medianShare
        self.p90Share = p90Share
    }

    enum CodingKeys: String, CodingKey {
        case samples
        case medianShare = "median_share"
        case p90Share = "p90_share"
    }
}

/// A measuring process whose level of one case lay far from what the other processes' levels of
/// it and its own level of the size's other cases predict (its stretch of the run, the host's speed
/// then, set it apart at every case): something of that process alone moved this case, such as
/// where its code or buffers lay. On the AMD EPYC Zen 3 guest, the processes that ASLR
/// loaded at 2 of 16 pages of 64 KiB read `into avx2` at n = 1000 18% slower in every round
/// (docs/measuring.md, "Address-space layout"). The case's headline, the median over processes,
/// reads the others.
public struct ProcessApart: Codable, Hashable, Sendable {
    /// The case.
    public var id: String
    public var n: Int
    /// The process, 0-based in the order the size's processes ran, of `processes`.
    public var process: Int
    public var processes: Int
    /// Its level of the case over what its process and the case predict (the residual of a median
    /// polish of the size's cases × processes; relative: 0.18 = 18% slower, −0.1 = 10% faster).
    public var deviation: Double

    public init(id: String, n: Int, process: Int, processes: Int, deviation: Double) {
        self.id = id
        self.n = n
        self.process = process
        self.processes = processes
        self.deviation = deviation
    }

    /// How far a process's level of a case must lie from what its process and its case predict
    /// (relative) to be named. At n = 1000 on the AMD EPYC Zen 3 guest (2026-12-07, sweeps of
    /// `--sizes 1000 --kernels avx2`, `scripts/code-placement`) the processes that ASLR loaded at 2
    /// of 16 pages of 64 KiB read `into` and `bare_c` 18–23% apart, and `into_aliased` (the output
    /// at the input's page offset) moved 13–107% in some processes; beside those, at 10% the first
    /// process's `alloc` was named in most runs at +10–11% (its heap, as the process that verified
    /// and calibrated the cases first), which 15% leaves out.
    public static let beyond = 0.15

    /// `case (process k of N, +x.x%)`.
    public var summary: String {
        "\(id) (process \(process + 1) of \(processes), \(String(format: "%+.1f%%", 100 * deviation)))"
    }

    /// The run's notes of `apart`: one line per size, naming its cases apart (the `listed` farthest,
    /// and how many more). Three default sweeps on the AMD EPYC Zen 3 guest named 17, 19 and 7 of
    /// them (2026-12-07 08:30, most at n = 100000 and 1048576, before the rounds at the memory's
    /// slower level were left out: `MemoryLevelSummary`), so one line per size.
    public static func notes(_ apart: [ProcessApart], listed: Int = 3) -> [String] {
        Dictionary(grouping: apart, by: \.n).sorted { $0.key < $1.key }.map { n, here in
            let farthest = here.sorted { abs($0.deviation) > abs($1.deviation) }
            let more = farthest.count > listed ? ", and \(farthest.count - listed) more" : ""
            let cases = "\(here.count) case\(here.count == 1 ? "" : "s")"
            return "n=\(n): \(cases) read more than \(Int((100 * beyond).rounded()))% apart in one measuring process: "
                + farthest.prefix(listed).map(\.summary).joined(separator: ", ") + more
                + "; something of that process alone (where its code or buffers lay) moved \(here.count == 1 ? "it" : "them"), "
                + "and each headline is the median "
                + "over processes (analysis.processes_apart; docs/measuring.md, \"Address-space layout\")"
        }
    }
}
