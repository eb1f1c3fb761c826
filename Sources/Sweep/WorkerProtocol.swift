import BenchModel
import JSA
import Measurement

/// What jsa-bench and its measuring workers (`jsa-bench sampling-worker`, `jsa-bench
/// callgrind-worker`) say to each other: one JSON line each way, over the worker's standard input
/// and output.
///
///     parent → worker   WorkerSetup                    which cases to build, how to sample them
///     worker → parent   WorkerReply(hello)             the cases, verified and calibrated
///     parent → worker   WorkerRequest.round / .sample / .usage
///     worker → parent   WorkerReply(samples / usage)   one reply per request
///     parent closes the worker's input                 the worker exits
///
/// The setup is one typed value that the parent writes and the worker reads back (no command-line
/// flags travel between them); a worker of another protocol version is told apart by its hello.
public enum WorkerProtocol {
    public static let version = "jsa-bench/worker/v2"
}

/// The cases a worker builds and how it samples them: a sweep's configuration at some sizes.
public struct WorkerSetup: Codable, Sendable, Equatable {
    /// Input lengths, elements.
    public var sizes: [Int]
    public var kernels: [Kernel]
    public var period: Int
    /// Seed of the input data.
    public var seed: UInt64
    /// Minimum duration of one sample, ms.
    public var minimumSampleMs: Double
    /// Evict the caches before each sample and time single calls.
    public var cold: Bool
    /// Untimed samples per case before the first round (`SamplingPlan.warmupSamples`).
    public var warmupSamples: Int
    /// Only cases whose id matches one of these patterns (`*` wildcards); nil for every case.
    public var only: [String]?
    /// Cases left out, as id patterns.
    public var skip: [String]
    /// The logical CPU to run on (nil: wherever the OS puts it).
    public var cpu: Int?
    /// Calls counted per case by the callgrind worker.
    public var callgrindCalls: Int
    /// Bytes the callgrind worker evicts before each counted call when `cold` (at least twice
    /// the simulated last-level cache); nil: `CacheTopology`'s default for this machine.
    public var callgrindEvictionBytes: Int?
    /// The batch cases' output cap, bytes (nil: `SweepConfiguration`'s default).
    public var maximumBatchOutputBytes: Int?
    /// The epochs each sample's calls are timed in, at most (`SamplingPlan.epochsPerSample`); nil
    /// from a parent that predates epochs: whole samples.
    public var epochsPerSample: Int?
    /// Whether samples wait for the host's fast level (`SamplingPlan.fastLevelWait`); nil: never.
    public var fastLevelWait: FastLevelWait?
    /// The lowest speed probe earlier processes of the run saw, ns: where the waits' floor starts.
    public var probeFloorNs: Double?
    /// Hardware events (PAPI names) the worker counts around every sample, as the parent found
    /// them available; nil or empty: none.
    public var counterEvents: [String]?
    /// The pages the worker maps its buffers on; nil from a parent that predates the choice: 4 KiB.
    public var pages: PageSize?
    /// Placements of each size's buffers (`SweepConfiguration.placements`); nil from a parent that
    /// predates them: 1.
    public var placements: Int?
    /// The cases an earlier measuring process of the run verified and calibrated at these sizes:
    /// their iterations per sample, by case id. The worker takes them as verified and samples them
    /// at those iterations instead of calling, comparing and timing each once more (the same build
    /// on the same seeded input at the same buffer offsets writes the same bits, and every process
    /// of a size then times the same number of calls per sample); other cases it verifies and
    /// calibrates. Nil (a first process, the gate's, or a parent that predates this): every case.
    public var verifiedIterations: [String: Int]?

    public init(
        sizes: [Int], kernels: [Kernel], period: Int = defaultPeriod, seed: UInt64 = 42, minimumSampleMs: Double = 1,
        cold: Bool = false, warmupSamples: Int = 0, only: [String]? = nil, skip: [String] = [], cpu: Int? = nil,
        callgrindCalls: Int = CallgrindPass.callsPerCase, maximumBatchOutputBytes: Int? = nil,
        epochsPerSample: Int? = SamplingPlan.defaultEpochs, fastLevelWait: FastLevelWait? = nil, probeFloorNs: Double? = nil,
        counterEvents: [String]? = nil, pages: PageSize? = nil, placements: Int? = nil,
        verifiedIterations: [String: Int]? = nil
    ) {
        self.sizes = sizes
        self.kernels = kernels
        self.period = period
        self.seed = seed
        self.minimumSampleMs = minimumSampleMs
        self.cold = cold
        self.warmupSamples = warmupSamples
        self.only = only
        self.skip = skip
        self.cpu = cpu
        self.callgrindCalls = callgrindCalls
        self.maximumBatchOutputBytes = maximumBatchOutputBytes
        self.epochsPerSample = epochsPerSample
        self.fastLevelWait = fastLevelWait
        self.probeFloorNs = probeFloorNs
        self.counterEvents = counterEvents
        self.pages = pages
        self.placements = placements
        self.verifiedIterations = verifiedIterations
    }

    /// The setup that builds `configuration`'s cases at `sizes`.
    /// `probeFloorNs` is the lowest speed probe the run saw before; `counterEvents` the hardware
    /// events to count; `verifiedIterations` what an earlier process verified and calibrated.
    public init(
        _ configuration: SweepConfiguration, sizes: [Int], only: [String]? = nil, probeFloorNs: Double? = nil,
        counterEvents: [String]? = nil, verifiedIterations: [String: Int]? = nil
    ) {
        self.init(
            sizes: sizes, kernels: configuration.kernels, period: configuration.period, seed: configuration.seed,
            minimumSampleMs: configuration.minimumSampleMs, cold: configuration.cold, only: only,
            maximumBatchOutputBytes: configuration.maximumBatchOutputBytes, epochsPerSample: configuration.epochsPerSample,
            fastLevelWait: configuration.fastLevelWait, probeFloorNs: probeFloorNs, counterEvents: counterEvents,
            pages: configuration.pages, placements: configuration.placements, verifiedIterations: verifiedIterations)
    }

    /// The sweep configuration whose cases this setup builds (one sample per request).
    public var configuration: SweepConfiguration {
        var configuration = SweepConfiguration(
            sizes: sizes, kernels: kernels, period: period, samples: 1,
            minimumSampleMs: minimumSampleMs, cold: cold, seed: seed)
        if let maximumBatchOutputBytes { configuration.maximumBatchOutputBytes = maximumBatchOutputBytes }
        configuration.epochsPerSample = epochs
        configuration.fastLevelWait = fastLevelWait
        configuration.pages = pages ?? .base
        configuration.placements = placements ?? 1
        return configuration
    }

    /// `epochsPerSample`, with 1 (whole samples) for a setup that names none.
    public var epochs: Int { epochsPerSample ?? 1 }

    /// The samples' time a worker's hello may take at most: it comes once every case the worker
    /// can build is calibrated (`AnswerTimeout.calibrationSamples` each) and warmed up.
    public var helloSamples: Int {
        sizes.count * SweepCaseFactory.maximumCases(kernels: kernels.count) * (AnswerTimeout.calibrationSamples + warmupSamples)
    }

    /// Whether the case with `id` is built.
    public func includes(_ id: String) -> Bool {
        (only.map { patterns in patterns.contains { Glob.matches(id, pattern: $0) } } ?? true)
            && !skip.contains { Glob.matches(id, pattern: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case sizes, kernels, period, seed
        case minimumSampleMs = "min_sample_ms"
        case cold
        case warmupSamples = "warmup_samples"
        case only, skip, cpu
        case callgrindCalls = "callgrind_calls"
        case callgrindEvictionBytes = "callgrind_eviction_bytes"
        case maximumBatchOutputBytes = "max_batch_output_bytes"
        case epochsPerSample = "epochs_per_sample"
        case fastLevelWait = "fast_level_wait"
        case probeFloorNs = "probe_floor_ns"
        case counterEvents = "counter_events"
        case pages, placements
        case verifiedIterations = "verified_iterations"
    }
}

extension Kernel: Codable {}

/// A request to a worker, after its setup.
public enum WorkerRequest: Codable, Sendable, Equatable {
    /// One round: a sample of each listed case (by index), in the sampler's order for `round`.
    case round(Int, cases: [Int])
    /// One sample of one case.
    case sample(Int)
    /// The getrusage totals and calls of every case's samples so far.
    case usage

    private enum CodingKeys: String, CodingKey { case round, cases, sample, usage }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let round = try container.decodeIfPresent(Int.self, forKey: .round) {
            self = .round(round, cases: try container.decode([Int].self, forKey: .cases))
        } else if let index = try container.decodeIfPresent(Int.self, forKey: .sample) {
            self = .sample(index)
        } else if try container.decodeIfPresent(Bool.self, forKey: .usage) == true {
            self = .usage
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a worker request"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .round(let round, let cases):
            try container.encode(round, forKey: .round)
            try container.encode(cases, forKey: .cases)
        case .sample(let index):
            try container.encode(index, forKey: .sample)
        case .usage:
            try container.encode(true, forKey: .usage)
        }
    }
}

/// A worker's line: its hello first, then one reply per request (`error` when it failed).
public struct WorkerReply: Codable, Sendable {
    public var protocolVersion: String?
    /// Hello: `release` or `debug` (a debug build's timings say nothing about a release).
    public var buildConfiguration: String?
    /// Hello: the cases, by index: identity, byte model, verification, calibrated iterations.
    public var cases: [CaseResult]?
    /// Hello: the epochs the worker times each sample's calls in, at most; nil from a worker that
    /// predates epochs (whole samples).
    public var epochsPerSample: Int?
    /// Hello: the variants the worker's SIMD kernels run and what forced them; nil from a worker
    /// that predates them, or whose forcing variables name no variant.
    public var kernelVariants: KernelVariants?
    /// Hello: how much of each size's buffers the kernel put in huge pages, by size; nil from a
    /// worker that predates `--pages` (it maps as the system's policy decides).
    public var pageBacking: [SizePageBacking]?
    /// A round's samples (in the order of the request's cases), or a sample's.
    public var samples: [TimedSample]?
    /// Usage: getrusage totals over each case's timed samples, and the calls they made.
    public var usage: [ResourceUsage]?
    public var calls: [Int]?
    /// Usage: each case's hardware counter readings summed over its samples, where the setup named
    /// events to count (nil for a case not counted).
    public var counters: [CounterAccumulator?]?
    /// Why the request failed, in one line.
    public var error: String?

    public init(
        protocolVersion: String? = nil, buildConfiguration: String? = nil, cases: [CaseResult]? = nil,
        epochsPerSample: Int? = nil, kernelVariants: KernelVariants? = nil, pageBacking: [SizePageBacking]? = nil,
        samples: [TimedSample]? = nil,
        usage: [ResourceUsage]? = nil, calls: [Int]? = nil, counters: [CounterAccumulator?]? = nil, error: String? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.buildConfiguration = buildConfiguration
        self.cases = cases
        self.epochsPerSample = epochsPerSample
        self.kernelVariants = kernelVariants
        self.pageBacking = pageBacking
        self.samples = samples
        self.usage = usage
        self.calls = calls
        self.counters = counters
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol"
        case buildConfiguration = "build_configuration"
        case cases
        case epochsPerSample = "epochs_per_sample"
        case kernelVariants = "kernel_variants"
        case pageBacking = "page_backing"
        case samples, usage, calls, counters, error
    }
}

/// The page backing of one size's buffers in a measuring process.
public struct SizePageBacking: Codable, Equatable, Sendable {
    /// Input length, elements.
    public var n: Int
    public var backing: PageBacking
    /// The placements the process measures the size's buffers on (`Workload.placements`); nil from
    /// a worker that predates them (one: its buffers' own pages).
    public var placements: Int?

    public init(n: Int, backing: PageBacking, placements: Int? = nil) {
        self.n = n
        self.backing = backing
        self.placements = placements
    }
}
