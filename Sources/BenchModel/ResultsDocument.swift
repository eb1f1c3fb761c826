import Foundation

/// The results JSON of a sweep: the stable interface between `jsa-bench sweep` and every tool that
/// reads its output (report, export, compare, gate). Every report is derived from it alone.
///
/// Keys are snake_case and never renamed within a schema version; a change that removes or
/// redefines a field bumps `schema`. v2 added, per case, when each sample was taken (its round and
/// process) and the speed index beside it, and the analysis of the run; every v1 document is a
/// valid v2 document without them, and is read as one. v3 adds the `fast_level` estimator (an
/// estimate per case, a value of `headline`, and the share of samples behind it in the speed
/// index), which a v2 reader cannot decode, and `normalized` leaves out the slower samples of a
/// round that also had fast ones; every v2 document is a valid v3 document without them. v4 adds
/// the `native/into_offset` cases (an input off its cache line), their `offset_over_into` ratio,
/// which a v3 reader cannot decode, and `derived.offset_input_penalty_percent`; every v3 document
/// is a valid v4 document without them.
public struct ResultsDocument: Codable, Sendable {
    /// The schema this file follows.
    public static let schemaVersion = "jsa-bench/results/v4"
    /// Every schema this version reads (older ones lack only optional fields).
    public static let readableSchemas = [
        "jsa-bench/results/v1", "jsa-bench/results/v2", "jsa-bench/results/v3", schemaVersion
    ]

    public var schema: String
    /// False when the run was interrupted (Ctrl-C) or stopped early: the cases present are
    /// complete measurements, but some planned ones are missing.
    public var complete: Bool
    public var run: RunInfo
    public var environment: Environment
    public var clock: ClockProfile
    /// How bytes per element are counted for GB/s, stated once for every reader.
    public var byteModel: [String: String]
    public var cases: [CaseResult]
    public var diagnostics: [Diagnostic]
    /// Hardware counters asked for, which could be counted, and why not; nil when none were asked.
    public var counters: CounterReport?
    /// The Python binding's overhead ladder, derived per size; nil when Python was not run.
    public var python: PythonReport?
    /// Ratios within rounds and the speed index (`Analysis`); nil in v1 documents until analysed.
    public var analysis: RunAnalysis?
    /// The cache simulation's settings (`--counters cachesim`); nil when none ran.
    public var cacheSimulation: CacheSimulationSetup?

    public init(
        run: RunInfo, environment: Environment, clock: ClockProfile, byteModel: [String: String],
        cases: [CaseResult] = [], diagnostics: [Diagnostic] = [], complete: Bool = false
    ) {
        self.schema = Self.schemaVersion
        self.complete = complete
        self.run = run
        self.environment = environment
        self.clock = clock
        self.byteModel = byteModel
        self.cases = cases
        self.diagnostics = diagnostics
    }

    /// The sizes a complete run asked for and holds no case for: no measuring process ran for them
    /// (a worker that could not be started, or that failed before its first sample; each such
    /// failure is a `process_failed` diagnostic, and each not started for want of memory a
    /// `memory_short` one). Empty for an interrupted run, which stopped
    /// before its missing sizes; sizes shorter than the period, which a sweep skips, are not among
    /// them.
    public var unmeasuredSizes: [Int] {
        guard complete else { return [] }
        let measured = Set(cases.map(\.n))
        return run.sizes.filter { $0 >= run.period && !measured.contains($0) }
    }

    enum CodingKeys: String, CodingKey {
        case schema, complete, run, environment, clock
        case byteModel = "byte_model"
        case cases, diagnostics, counters, python, analysis
        case cacheSimulation = "cache_simulation"
    }
}

/// The counters of a run: every requested event with its availability, and PAPI's view.
public struct CounterReport: Codable, Sendable {
    public var events: [CounterEvent]
    /// PAPI's version, components and their states (with PAPI's reasons).
    public var papi: PAPIInventory

    public init(events: [CounterEvent], papi: PAPIInventory) {
        self.events = events
        self.papi = papi
    }

    /// One line for the summary: what is counted, or exactly why nothing is.
    public var summaryLine: String {
        let available = events.filter(\.available)
        if available.count == events.count {
            return "Counters: \(events.count) events counted (\(events.map(\.name).joined(separator: ", ")))"
        }
        let missing = events.filter { !$0.available }
        let reasons = Dictionary(grouping: missing, by: { $0.unavailableReason ?? "unknown" })
            .sorted { $0.key < $1.key }
            .map { "\($0.value.map(\.name).joined(separator: ", ")): \($0.key)" }
        let cpu =
            papi.components.first.map { c in
                "\(c.name) component \(c.enabled ? "enabled" : "disabled: \(c.disabledReason ?? "")"), "
                    + "\(c.counters) counters, \(c.nativeEvents) native events, \(papi.availablePresets) presets mapped"
            } ?? (papi.initError ?? "no components")
        return "Counters: \(available.count) of \(events.count) requested events can be counted here "
            + "(PAPI \(papi.version ?? "?"); \(cpu)). Unavailable — \(reasons.joined(separator: "; "))"
    }
}

/// What was run, how, and when.
public struct RunInfo: Codable, Sendable {
    public var commandLine: [String]
    /// ISO 8601, UTC.
    public var startedAt: String
    public var endedAt: String?
    public var gitCommit: String?
    public var gitDirty: Bool?
    public var buildConfiguration: String
    public var preset: String?
    public var sizes: [Int]
    public var kernels: [String]
    public var period: Int
    public var batchPeriods: [Int]
    public var samples: Int
    public var minSampleMs: Double
    public var cold: Bool
    public var seed: UInt64
    /// The epochs each sample's calls were timed in, at most (`samples_ns` holds the median
    /// epoch's ns per call); nil in documents written before epochs, whose samples are whole:
    /// `epochs` reads that as 1.
    public var epochsPerSample: Int?
    /// How long samples could wait for the host's fast level, as a multiple of the time spent
    /// sampling (`--wait-for-fast-level`); nil when they did not wait.
    public var fastLevelWaitBudget: Double?
    /// The host's run-level spread that this run's re-run intervals add (`--run-level`, from a
    /// `reproduce` on this machine class); nil when none was given.
    public var runLevel: RunLevelSpread?
    /// The pages the measured buffers were mapped on (`--pages`); nil in documents written before
    /// the choice, whose buffers the system's transparent-huge-page policy paged.
    public var pages: PageSize?
    /// The placements of each size's buffers per measuring process (`--placements`: copies on
    /// physical pages of their own, moved through round by round); nil in documents written before
    /// them, whose processes measured on one.
    public var placements: Int?

    public init(
        commandLine: [String], startedAt: String, endedAt: String? = nil, gitCommit: String?, gitDirty: Bool?,
        buildConfiguration: String, preset: String?, sizes: [Int], kernels: [String], period: Int,
        batchPeriods: [Int], samples: Int, minSampleMs: Double, cold: Bool, seed: UInt64
    ) {
        self.commandLine = commandLine
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.buildConfiguration = buildConfiguration
        self.preset = preset
        self.sizes = sizes
        self.kernels = kernels
        self.period = period
        self.batchPeriods = batchPeriods
        self.samples = samples
        self.minSampleMs = minSampleMs
        self.cold = cold
        self.seed = seed
    }

    /// `date` as the results' timestamps write it: ISO 8601, UTC, with fractional seconds.
    public static func timestamp(_ date: Date = Date()) -> String { timestampFormat.string(from: date) }

    /// Seconds from `startedAt` to `endedAt`; nil for a run without an end or with a stamp that
    /// does not parse.
    public var wallSeconds: Double? {
        guard let endedAt, let start = Self.timestampFormat.date(from: startedAt), let end = Self.timestampFormat.date(from: endedAt)
        else { return nil }
        return end.timeIntervalSince(start)
    }

    private static var timestampFormat: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    enum CodingKeys: String, CodingKey {
        case commandLine = "command_line"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
        case buildConfiguration = "build_configuration"
        case preset, sizes, kernels, period
        case batchPeriods = "batch_periods"
        case samples
        case minSampleMs = "min_sample_ms"
        case cold, seed
        case epochsPerSample = "epochs_per_sample"
        case fastLevelWaitBudget = "fast_level_wait_budget"
        case runLevel = "run_level"
        case pages, placements
    }

    /// `epochsPerSample`, with 1 for a document written before epochs (whole samples).
    public var epochs: Int { epochsPerSample ?? 1 }
}

/// One measured case: a variant at one size.
public struct CaseResult: Codable, Sendable {
    /// Stable identifier, e.g. `native/into/avx2/n=100000/p=30`.
    public var id: String
    /// `native` (JSA through the Swift API), `batch`, or `reference` (memcpy, STREAM add).
    public var family: String
    /// `alloc`, `into`, `into_aliased` (an output at the input's page offset), `into_offset` (an input
    /// 16 bytes off its cache line) or `bare_c` for native cases; `single_thread` / `all_cores` for batch; `memcpy` /
    /// `stream_add` for references.
    public var variant: String
    /// The kernel name asked for (`auto`, `scalar`, ...), nil for references.
    public var kernel: String?
    /// What `kernel` ran as (what `auto` resolved to).
    public var resolvedKernel: String?
    /// Elements per input series.
    public var n: Int
    /// The period (nil for references; the first period of a batch, see `periods`).
    public var period: Int?
    /// Every period of a batch, in row order.
    public var periods: [Int]?
    public var threads: Int
    /// Bytes per call under the byte model, and the working set that decides `level`.
    public var bytesPerCall: Int
    public var workingSetBytes: Int
    /// The cache level the working set lives in (`L1`, `L2`, `L3`, `DRAM`).
    public var level: String
    public var iterationsPerSample: Int
    /// Raw samples, ns per call, in the order taken: of each sample's median epoch where the run
    /// timed epochs (`RunInfo.epochsPerSample`), else of the whole sample.
    public var samplesNs: [Double]
    /// Each sample's wall time over its calls, ns: `samplesNs` plus whatever paused the calls in a
    /// minority of the sample's epochs. Nil where the run timed whole samples.
    public var samplesWallNs: [Double]?
    /// The round each sample belongs to (numbered across the size's processes): in a round every
    /// case of the size got one sample, interleaved. Nil in v1 documents, whose sample k was taken
    /// in round k.
    public var sampleRounds: [Int]?
    /// The measuring process (0, 1, ...) each sample was taken in. Nil in v1 documents (one process).
    public var sampleProcesses: [Int]?
    /// The speed index at each sample: the duration of the speed probe run right before it, ns.
    /// Nil in v1 documents.
    public var probesNs: [Double]?
    /// Time the samples waited for the host's fast level before they were taken, ns in total
    /// (`run.fast_level_wait_budget`); nil where they did not wait.
    public var waitedNs: Double?
    public var samplesRequested: Int
    public var stats: SampleStatistics?
    public var perElementNs: Double?
    public var gbps: Double?
    /// Output equal to the scalar reference, bit for bit, before timing.
    public var verified: Bool
    public var verificationError: String?
    /// getrusage per call over the timed samples.
    public var rusagePerCall: ResourceUsage
    /// Comparisons with other cases of the same size and run.
    public var derived: DerivedMetrics
    /// Hardware counts per call and their derived metrics, when counters were asked and available.
    public var counters: CaseCounters?
    /// Set when the retired vector widths contradict the kernel's name.
    public var vectorIdentityMismatch: String?
    /// Deterministic instruction counts from callgrind (`--counters callgrind`), native cases only.
    public var instructions: InstructionCount?
    /// Deterministic cache and branch simulation counts (`--counters cachesim`), native cases only.
    public var simulated: SimulatedCounts?
    /// The estimates of the analysis (`Analysis`), one per estimator that applies.
    public var estimates: CaseEstimates?

    public init(
        id: String, family: String, variant: String, kernel: String?, resolvedKernel: String?, n: Int,
        period: Int?, periods: [Int]?, threads: Int, bytesPerCall: Int, workingSetBytes: Int, level: String,
        iterationsPerSample: Int, samplesNs: [Double], samplesRequested: Int, stats: SampleStatistics?,
        perElementNs: Double?, gbps: Double?, verified: Bool, verificationError: String?,
        rusagePerCall: ResourceUsage, derived: DerivedMetrics = DerivedMetrics()
    ) {
        self.id = id
        self.family = family
        self.variant = variant
        self.kernel = kernel
        self.resolvedKernel = resolvedKernel
        self.n = n
        self.period = period
        self.periods = periods
        self.threads = threads
        self.bytesPerCall = bytesPerCall
        self.workingSetBytes = workingSetBytes
        self.level = level
        self.iterationsPerSample = iterationsPerSample
        self.samplesNs = samplesNs
        self.samplesRequested = samplesRequested
        self.stats = stats
        self.perElementNs = perElementNs
        self.gbps = gbps
        self.verified = verified
        self.verificationError = verificationError
        self.rusagePerCall = rusagePerCall
        self.derived = derived
    }

    /// What `samplesWallNs` holds for samples `samples` whose wall times are `walls`: nil where
    /// there are none, they do not line up, or every sample was one epoch (wall equal to sample).
    public static func wallTimes(_ walls: [Double]?, of samples: [Double]) -> [Double]? {
        guard let walls, walls.count == samples.count, walls != samples else { return nil }
        return walls
    }

    enum CodingKeys: String, CodingKey {
        case id, family, variant, kernel
        case resolvedKernel = "resolved_kernel"
        case n, period, periods, threads
        case bytesPerCall = "bytes_per_call"
        case workingSetBytes = "working_set_bytes"
        case level
        case iterationsPerSample = "iterations_per_sample"
        case samplesNs = "samples_ns"
        case samplesWallNs = "samples_wall_ns"
        case sampleRounds = "sample_rounds"
        case sampleProcesses = "sample_processes"
        case probesNs = "probes_ns"
        case waitedNs = "waited_ns"
        case samplesRequested = "samples_requested"
        case stats
        case perElementNs = "per_element_ns"
        case gbps, verified
        case verificationError = "verification_error"
        case rusagePerCall = "rusage_per_call"
        case derived, counters
        case vectorIdentityMismatch = "vector_identity_mismatch"
        case instructions, simulated, estimates
    }
}

/// Ratios against other cases of the same size in the same run (nil where the other case is absent).
public struct DerivedMetrics: Codable, Sendable, Hashable {
    /// This case's median time / memcpy's median time at the same n (below 1: faster than a copy).
    public var fractionOfMemcpy: Double?
    /// This case's median time / STREAM add's median time at the same n.
    public var fractionOfStreamAdd: Double?
    /// This case's median time / the vector copy loop's median time at the same n (native cases
    /// and memcpy itself).
    public var fractionOfCopyLoop: Double?
    /// Scalar's median time / this case's, same family and variant.
    public var speedupOverScalar: Double?
    /// For allocating cases: median(alloc) − median(into), same kernel, ns and % of into.
    public var allocOverheadNs: Double?
    public var allocOverheadPercent: Double?
    /// For parallel batches: the single-thread batch's median time / this case's.
    public var speedupOverSingleThread: Double?
    /// For `into_aliased` cases: how much slower than `into` with the same kernel, %.
    public var aliasingPenaltyPercent: Double?
    /// For `into_offset` cases: how much slower than `into` with the same kernel, %.
    public var offsetInputPenaltyPercent: Double?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case fractionOfMemcpy = "fraction_of_memcpy"
        case fractionOfStreamAdd = "fraction_of_stream_add"
        case fractionOfCopyLoop = "fraction_of_copy_loop"
        case speedupOverScalar = "speedup_over_scalar"
        case allocOverheadNs = "alloc_overhead_ns"
        case allocOverheadPercent = "alloc_overhead_percent"
        case speedupOverSingleThread = "speedup_over_single_thread"
        case aliasingPenaltyPercent = "aliasing_penalty_percent"
        case offsetInputPenaltyPercent = "offset_input_penalty_percent"
    }
}

/// Instructions per call counted by callgrind: deterministic for a given binary and input.
public struct InstructionCount: Codable, Sendable, Hashable {
    public var tool = "callgrind"
    /// Calls counted (0 when not measurable).
    public var calls: Int
    public var perCall: Double?
    public var perElement: Double?
    /// What the kernel resolved to under valgrind (`auto` → `avx2`: valgrind hides AVX-512).
    public var resolvedKernel: String?
    public var unavailableReason: String?

    public init(calls: Int, perCall: Double?, perElement: Double?, resolvedKernel: String?, unavailableReason: String?) {
        self.calls = calls
        self.perCall = perCall
        self.perElement = perElement
        self.resolvedKernel = resolvedKernel
        self.unavailableReason = unavailableReason
    }

    enum CodingKeys: String, CodingKey {
        case tool, calls
        case perCall = "per_call"
        case perElement = "per_element"
        case resolvedKernel = "resolved_kernel"
        case unavailableReason = "unavailable_reason"
    }
}
