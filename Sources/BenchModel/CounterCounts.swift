/// The counts of one case, per call, accumulated over its timed samples.
public struct CaseCounters: Codable, Hashable, Sendable {
    /// Event name → count per call (extrapolated where multiplexed).
    public var perCall: [String: Double]
    /// Event name → the smallest fraction of a sample the event was counting, where known.
    public var coverage: [String: Double]
    /// Some counts rest on multiplexing (extrapolated from part of each sample).
    public var multiplexed: Bool
    public var derived: CounterMetrics

    public init(perCall: [String: Double], coverage: [String: Double], multiplexed: Bool, derived: CounterMetrics) {
        self.perCall = perCall
        self.coverage = coverage
        self.multiplexed = multiplexed
        self.derived = derived
    }

    enum CodingKeys: String, CodingKey {
        case perCall = "per_call"
        case coverage, multiplexed, derived
    }
}

/// Metrics derived from per-call counts; each is nil when an event it needs was not counted.
public struct CounterMetrics: Codable, Hashable, Sendable {
    public var ipc: Double?
    public var instructionsPerElement: Double?
    public var cyclesPerElement: Double?
    public var l1MissesPerElement: Double?
    public var l2MissesPerElement: Double?
    public var l3MissesPerElement: Double?
    public var l1MissesPerKiB: Double?
    public var l2MissesPerKiB: Double?
    public var l3MissesPerKiB: Double?
    public var branchMispredictionsPerCall: Double?
    /// Cycles per nanosecond of wall time: the clock the code actually ran at.
    public var effectiveGHz: Double?
    /// Cycles / reference cycles: below 1 means the core ran below its nominal clock (AVX-512
    /// licence down-clocking shows here).
    public var clockRatio: Double?
    /// Share of retired FP instructions by width (`scalar`, `128`, `256`, `512`), summing to 1.
    public var vectorMix: [String: Double]?
    /// Some inputs were multiplexed: treat these as estimates.
    public var restsOnMultiplexedCounts: Bool

    public init(
        ipc: Double?, instructionsPerElement: Double?, cyclesPerElement: Double?, l1MissesPerElement: Double?,
        l2MissesPerElement: Double?, l3MissesPerElement: Double?, l1MissesPerKiB: Double?,
        l2MissesPerKiB: Double?, l3MissesPerKiB: Double?, branchMispredictionsPerCall: Double?,
        effectiveGHz: Double?, clockRatio: Double?, vectorMix: [String: Double]?,
        restsOnMultiplexedCounts: Bool
    ) {
        self.ipc = ipc
        self.instructionsPerElement = instructionsPerElement
        self.cyclesPerElement = cyclesPerElement
        self.l1MissesPerElement = l1MissesPerElement
        self.l2MissesPerElement = l2MissesPerElement
        self.l3MissesPerElement = l3MissesPerElement
        self.l1MissesPerKiB = l1MissesPerKiB
        self.l2MissesPerKiB = l2MissesPerKiB
        self.l3MissesPerKiB = l3MissesPerKiB
        self.branchMispredictionsPerCall = branchMispredictionsPerCall
        self.effectiveGHz = effectiveGHz
        self.clockRatio = clockRatio
        self.vectorMix = vectorMix
        self.restsOnMultiplexedCounts = restsOnMultiplexedCounts
    }

    enum CodingKeys: String, CodingKey {
        case ipc
        case instructionsPerElement = "instructions_per_element"
        case cyclesPerElement = "cycles_per_element"
        case l1MissesPerElement = "l1_misses_per_element"
        case l2MissesPerElement = "l2_misses_per_element"
        case l3MissesPerElement = "l3_misses_per_element"
        case l1MissesPerKiB = "l1_misses_per_kib"
        case l2MissesPerKiB = "l2_misses_per_kib"
        case l3MissesPerKiB = "l3_misses_per_kib"
        case branchMispredictionsPerCall = "branch_mispredictions_per_call"
        case effectiveGHz = "effective_ghz"
        case clockRatio = "clock_ratio"
        case vectorMix = "vector_mix"
        case restsOnMultiplexedCounts = "rests_on_multiplexed_counts"
    }
}
