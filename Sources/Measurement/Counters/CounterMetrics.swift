import Foundation

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

/// Adds up readings sample by sample; `finish` divides by the calls made.
public struct CounterAccumulator: Hashable, Sendable {
    public let names: [String]
    private var totals: [Double]
    private var minimumCoverage: [Double?]
    private var anyMultiplexed = false
    private var lost = Set<String>()

    public init(names: [String]) {
        self.names = names
        totals = Array(repeating: 0, count: names.count)
        minimumCoverage = Array(repeating: nil, count: names.count)
    }

    /// Adds one sample's readings (one per name, in order).
    public mutating func add(_ readings: [RawCount]) {
        for (i, reading) in readings.enumerated() where i < names.count {
            guard let scaled = reading.scaled else {
                lost.insert(names[i])  // never scheduled in this sample: no extrapolation possible
                continue
            }
            totals[i] += scaled
            anyMultiplexed = anyMultiplexed || reading.isMultiplexed
            if let coverage = reading.coverage {
                minimumCoverage[i] = min(minimumCoverage[i] ?? 1, coverage)
            } else if reading.multiplexed {
                minimumCoverage[i] = nil
            }
        }
    }

    /// Per-call counts over `calls` calls, and their derived metrics.
    public func finish(calls: Int, elements: Int, bytesPerCall: Int, nsPerCall: Double) -> CaseCounters {
        var perCall: [String: Double] = [:]
        var coverage: [String: Double] = [:]
        for (i, name) in names.enumerated() where !lost.contains(name) {
            perCall[name] = totals[i] / Double(max(calls, 1))
            if let c = minimumCoverage[i] { coverage[name] = c }
        }
        return CaseCounters(
            perCall: perCall, coverage: coverage, multiplexed: anyMultiplexed,
            derived: CounterMetrics(perCall: perCall, elements: elements, bytesPerCall: bytesPerCall,
                                    nsPerCall: nsPerCall, multiplexed: anyMultiplexed))
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

    public init(perCall: [String: Double], elements: Int, bytesPerCall: Int, nsPerCall: Double, multiplexed: Bool) {
        let n = Double(max(elements, 1))
        let kib = Double(max(bytesPerCall, 1)) / 1024
        let cycles = perCall[CounterName.cycles]
        let instructions = perCall[CounterName.instructions]
        ipc = Self.ratio(instructions, cycles)
        instructionsPerElement = instructions.map { $0 / n }
        cyclesPerElement = cycles.map { $0 / n }
        l1MissesPerElement = perCall[CounterName.l1DataMisses].map { $0 / n }
        l2MissesPerElement = perCall[CounterName.l2Misses].map { $0 / n }
        l3MissesPerElement = perCall[CounterName.l3Misses].map { $0 / n }
        l1MissesPerKiB = perCall[CounterName.l1DataMisses].map { $0 / kib }
        l2MissesPerKiB = perCall[CounterName.l2Misses].map { $0 / kib }
        l3MissesPerKiB = perCall[CounterName.l3Misses].map { $0 / kib }
        branchMispredictionsPerCall = perCall[CounterName.branchMispredictions]
        effectiveGHz = nsPerCall > 0 ? cycles.map { $0 / nsPerCall } : nil
        clockRatio = Self.ratio(cycles, perCall[CounterName.referenceCycles])
        vectorMix = VectorWidthEvents.known.lazy.compactMap { $0.mix(perCall) }.first
        restsOnMultiplexedCounts = multiplexed
    }

    private static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return a / b
    }
}

/// Checks that what a case retired matches its kernel's name.
public enum VectorIdentity {
    /// Share of FP instructions above which a "scalar" case counts as vectorized.
    public static let tolerance = 0.01

    /// Nil when the mix fits `kernel` (`scalar`, `avx2`, `avx512`), otherwise what is wrong.
    public static func mismatch(kernel: String, mix: [String: Double]) -> String? {
        let packed = (mix["128"] ?? 0) + (mix["256"] ?? 0) + (mix["512"] ?? 0)
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        switch kernel {
        case "scalar" where packed > tolerance:
            return "a scalar kernel retired \(percent(packed)) packed FP instructions"
        case "avx2" where (mix["512"] ?? 0) > tolerance:
            return "an avx2 kernel retired \(percent(mix["512"] ?? 0)) 512-bit FP instructions"
        case "avx2" where (mix["256"] ?? 0) == 0:
            return "an avx2 kernel retired no 256-bit FP instructions"
        case "avx512" where (mix["512"] ?? 0) == 0:
            return "an avx512 kernel retired no 512-bit FP instructions"
        default:
            return nil
        }
    }
}
