import BenchModel

/// The default event groups of `--counters`.
public enum CounterGroup: String, CaseIterable, Sendable {
    /// Total cycles, reference cycles, instructions.
    case core
    /// L1 data, L2 and L3 total misses.
    case cache
    /// Branch mispredictions.
    case branch
    /// Retired floating-point operations by vector width, in this CPU's event names
    /// (``VectorWidthEvents``).
    case vector

    public var events: [String] {
        switch self {
        case .core: return [CounterName.cycles, CounterName.referenceCycles, CounterName.instructions]
        case .cache: return [CounterName.l1DataMisses, CounterName.l2Misses, CounterName.l3Misses]
        case .branch: return [CounterName.branchMispredictions]
        case .vector: return VectorWidthEvents.onThisMachine.widths.map(\.event)
        }
    }
}

/// The event names derived metrics are computed from.
public enum CounterName {
    public static let cycles = "PAPI_TOT_CYC"
    public static let referenceCycles = "PAPI_REF_CYC"
    public static let instructions = "PAPI_TOT_INS"
    public static let l1DataMisses = "PAPI_L1_DCM"
    public static let l2Misses = "PAPI_L2_TCM"
    public static let l3Misses = "PAPI_L3_TCM"
    public static let branchMispredictions = "PAPI_BR_MSP"
}

/// Retired floating-point operations by vector width, in the native event names of one PMU family.
/// Vendors name (and define) these differently; the `vector` group counts whichever set this
/// CPU's PAPI knows, and the mix is computed from whichever set a reading holds.
public struct VectorWidthEvents: Sendable {
    /// The PMUs that name their events this way.
    public let pmus: String
    /// The label used in the mix (`scalar`, `128`, `256`, `512`) and PAPI's native event name.
    public let widths: [(width: String, event: String)]

    /// Intel (Skylake and later): retired FP arithmetic instructions on doubles, by width.
    public static let intel = VectorWidthEvents(
        pmus: "Intel FP_ARITH_INST_RETIRED",
        widths: [
            ("scalar", "FP_ARITH_INST_RETIRED:SCALAR_DOUBLE"),
            ("128", "FP_ARITH_INST_RETIRED:128B_PACKED_DOUBLE"),
            ("256", "FP_ARITH_INST_RETIRED:256B_PACKED_DOUBLE"),
            ("512", "FP_ARITH_INST_RETIRED:512B_PACKED_DOUBLE")
        ])

    /// AMD Zen 4 (libpfm4's amd64_fam19h_zen4): retired FP *ops* by width, of any precision and
    /// including FP shuffles and logic — not a FLOP count, but enough to tell which widths a
    /// kernel ran, which is what the mix and ``VectorIdentity`` use it for.
    public static let amdZen4 = VectorWidthEvents(
        pmus: "AMD Zen 4 RETIRED_FP_OPS_BY_WIDTH",
        widths: [
            ("scalar", "RETIRED_FP_OPS_BY_WIDTH:SCALAR_UOPS_RETIRED"),
            ("128", "RETIRED_FP_OPS_BY_WIDTH:PACK128_UOPS_RETIRED"),
            ("256", "RETIRED_FP_OPS_BY_WIDTH:PACK256_UOPS_RETIRED"),
            ("512", "RETIRED_FP_OPS_BY_WIDTH:PACK512_UOPS_RETIRED")
        ])

    /// Every vocabulary, in the order they are tried.
    public static let known: [VectorWidthEvents] = [intel, amdZen4]

    /// The first of `candidates` whose every event `resolves` (PAPI knows the name); Intel's when
    /// none does — its events are then recorded unavailable, with PAPI's reason.
    public static func select(from candidates: [VectorWidthEvents] = known, resolves: (String) -> Bool) -> VectorWidthEvents {
        candidates.first { $0.widths.allSatisfy { resolves($0.event) } } ?? intel
    }

    /// Share of each width in `perCall`, summing to 1; nil unless every width was counted and
    /// some FP work retired.
    public func mix(_ perCall: [String: Double]) -> [String: Double]? {
        let counts = widths.compactMap { w in perCall[w.event].map { (w.width, $0) } }
        let total = counts.reduce(0) { $0 + $1.1 }
        guard counts.count == widths.count, total > 0 else { return nil }
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.0, $0.1 / total) })
    }
}

/// One event's reading over an interval. `timeEnabledNs`/`timeRunningNs` are known where the
/// source exposes them (perf_event does; PAPI scales multiplexed counts itself and does not).
public struct RawCount: Hashable, Sendable {
    public var value: UInt64
    public var timeEnabledNs: UInt64?
    public var timeRunningNs: UInt64?
    /// The source multiplexed this event (it ran only part of the interval).
    public var multiplexed: Bool

    public init(value: UInt64, timeEnabledNs: UInt64? = nil, timeRunningNs: UInt64? = nil, multiplexed: Bool = false) {
        self.value = value
        self.timeEnabledNs = timeEnabledNs
        self.timeRunningNs = timeRunningNs
        self.multiplexed = multiplexed
    }

    /// The count extrapolated to the whole interval: value × enabled / running when the event ran
    /// part of the time; nil when it never ran (nothing can be extrapolated from zero coverage).
    public var scaled: Double? {
        guard let enabled = timeEnabledNs, let running = timeRunningNs, enabled > 0 else { return Double(value) }
        guard running > 0 else { return nil }
        return Double(value) * Double(enabled) / Double(running)
    }

    /// Fraction of the interval the event was counting (1 when not multiplexed), nil when unknown.
    public var coverage: Double? {
        guard let enabled = timeEnabledNs, let running = timeRunningNs, enabled > 0 else {
            return multiplexed ? nil : 1
        }
        return min(1, Double(running) / Double(enabled))
    }

    /// Whether the value rests on extrapolation.
    public var isMultiplexed: Bool {
        multiplexed || (coverage.map { $0 < 1 } ?? true)
    }
}

/// Something that counts events around a timed sample. Implemented by PAPI, and by scripted
/// sources in tests.
public protocol CounterSource: AnyObject {
    /// Every requested event, available or not, in request order.
    var events: [CounterEvent] { get }
    /// Starts counting the available events.
    func start()
    /// Stops and returns one reading per available event, in `events` order.
    func stop() -> [RawCount]
}
