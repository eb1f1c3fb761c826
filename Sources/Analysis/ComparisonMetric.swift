import BenchModel

/// What is compared: wall time (noisy, judged with statistics), or a count from valgrind
/// (deterministic, judged by the change alone): callgrind's instructions per call, and from the
/// cache simulation (`--counters cachesim`) the estimated cycles per call and the D1 and LL
/// misses per element. Every metric is lower-is-better.
public enum ComparisonMetric: String, CaseIterable, Codable, Sendable {
    case time
    case instructions
    case estimatedCycles = "estimated_cycles"
    case d1Misses = "d1_misses"
    case llMisses = "ll_misses"

    /// How a threshold is read: a relative change (0.01 = 1%) or an absolute one in the metric's
    /// unit (misses per element, where a baseline of zero makes any ratio meaningless).
    public enum ThresholdKind: String, Codable, Sendable {
        case relative, absolute
    }

    public var thresholdKind: ThresholdKind {
        switch self {
        case .time, .instructions, .estimatedCycles: .relative
        case .d1Misses, .llMisses: .absolute
        }
    }

    /// The default threshold: 5% for time, 1% for instructions, 2% for estimated cycles, and
    /// 0.01 more misses per element (one more miss per 100 elements; an extra pass over the
    /// output adds 0.125 where it does not fit in the cache).
    public var defaultThreshold: Double {
        switch self {
        case .time: 0.05
        case .instructions: 0.01
        case .estimatedCycles: 0.02
        case .d1Misses, .llMisses: 0.01
        }
    }

    /// What the compared value is, for tables.
    public var unit: String {
        switch self {
        case .time: "estimate"
        case .instructions: "instr/call"
        case .estimatedCycles: "est. cycles/call"
        case .d1Misses: "D1 misses/element"
        case .llMisses: "LL misses/element"
        }
    }

    /// Whether the metric comes from the cache simulation.
    public var isSimulated: Bool { self == .estimatedCycles || self == .d1Misses || self == .llMisses }

    /// A deterministic metric's value for one case; nil for time, or where it was not counted.
    public func count(of c: CaseResult) -> Double? {
        switch self {
        case .time: nil
        case .instructions: c.instructions?.perCall
        case .estimatedCycles: c.simulated?.estimatedCyclesPerCall
        case .d1Misses: c.simulated?.d1MissesPerElement
        case .llMisses: c.simulated?.llMissesPerElement
        }
    }
}
