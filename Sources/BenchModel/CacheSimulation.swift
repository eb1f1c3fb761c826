/// Counts from valgrind's cache and branch simulation (`--counters cachesim`): deterministic for a
/// given binary, input and simulated geometry, on any machine, PMU or not.

/// One simulated cache: its size, associativity and line size.
public struct SimulatedCache: Codable, Sendable, Hashable, CustomStringConvertible {
    public var sizeBytes: Int
    public var associativity: Int
    public var lineBytes: Int

    public init(sizeBytes: Int, associativity: Int, lineBytes: Int) {
        self.sizeBytes = sizeBytes
        self.associativity = associativity
        self.lineBytes = lineBytes
    }

    /// `SIZE,ASSOC,LINE` in bytes, as valgrind's `--D1=` takes it.
    public var valgrindValue: String { "\(sizeBytes),\(associativity),\(lineBytes)" }

    public var description: String { "\(Format.bytes(sizeBytes)), \(associativity)-way, \(lineBytes) B lines" }

    enum CodingKeys: String, CodingKey {
        case sizeBytes = "size_bytes"
        case associativity
        case lineBytes = "line_bytes"
    }
}

/// The caches valgrind simulates: first-level instruction and data caches and one last-level
/// cache (valgrind models no L2 between them).
public struct SimulatedCacheGeometry: Codable, Sendable, Hashable {
    public enum Level: String, CaseIterable, Codable, Sendable {
        case i1 = "I1"
        case d1 = "D1"
        case ll = "LL"
    }

    public var i1: SimulatedCache
    public var d1: SimulatedCache
    public var ll: SimulatedCache

    public init(i1: SimulatedCache, d1: SimulatedCache, ll: SimulatedCache) {
        self.i1 = i1
        self.d1 = d1
        self.ll = ll
    }

    public subscript(level: Level) -> SimulatedCache {
        switch level {
        case .i1: i1
        case .d1: d1
        case .ll: ll
        }
    }

    /// The geometry this project's committed baselines use, so that their counts do not depend
    /// on the machine that recorded them: 32 KiB 8-way first-level caches and an 8 MiB 16-way
    /// last level, 64-byte lines (a typical x86-64 core's L1 and a mid-sized L3).
    public static let portable = SimulatedCacheGeometry(
        i1: SimulatedCache(sizeBytes: 32 << 10, associativity: 8, lineBytes: 64),
        d1: SimulatedCache(sizeBytes: 32 << 10, associativity: 8, lineBytes: 64),
        ll: SimulatedCache(sizeBytes: 8 << 20, associativity: 16, lineBytes: 64))
}

/// The events of callgrind's cache and branch simulation, by their callgrind names.
public enum SimulatedEvent: String, CaseIterable, Codable, Sendable {
    /// Instructions executed.
    case ir = "Ir"
    /// Data reads and writes.
    case dr = "Dr"
    case dw = "Dw"
    /// First-level instruction-cache read misses; data-cache read and write misses.
    case i1mr = "I1mr"
    case d1mr = "D1mr"
    case d1mw = "D1mw"
    /// Last-level misses of instruction reads, data reads and data writes.
    case ilmr = "ILmr"
    case dlmr = "DLmr"
    case dlmw = "DLmw"
    /// Conditional branches executed and mispredicted (simulated predictor).
    case bc = "Bc"
    case bcm = "Bcm"
    /// Indirect branches executed and mispredicted.
    case bi = "Bi"
    case bim = "Bim"

    /// Every first-level miss (instruction read, data read, data write); every last-level one.
    public static let l1Misses: [SimulatedEvent] = [.i1mr, .d1mr, .d1mw]
    public static let llMisses: [SimulatedEvent] = [.ilmr, .dlmr, .dlmw]

    /// The sum of `events` in `counts` (keyed by raw name); nil when one is missing.
    public static func sum(_ events: [SimulatedEvent], in counts: [String: Double]) -> Double? {
        let values = events.compactMap { counts[$0.rawValue] }
        return values.count == events.count ? values.reduce(0, +) : nil
    }
}

/// How the estimated cycle count is made from the simulated events: every instruction costs one
/// cycle, every first-level miss 10 more, every last-level miss 100 more. A model, not a
/// measurement: it ignores overlap between misses, out-of-order execution and prefetching.
public enum EstimatedCycles {
    public static let l1MissCycles = 10.0
    public static let llMissCycles = 100.0
    public static let formula = "Ir + 10 × (I1mr + D1mr + D1mw) + 100 × (ILmr + DLmr + DLmw)"

    /// The estimate for counts keyed by `SimulatedEvent` raw names; nil when one is missing.
    public static func estimate(_ counts: [String: Double]) -> Double? {
        guard let ir = counts[SimulatedEvent.ir.rawValue], let l1 = SimulatedEvent.sum(SimulatedEvent.l1Misses, in: counts),
            let ll = SimulatedEvent.sum(SimulatedEvent.llMisses, in: counts)
        else { return nil }
        return ir + l1MissCycles * l1 + llMissCycles * ll
    }
}

/// The simulation settings of a run: the same for every case in it.
public struct CacheSimulationSetup: Codable, Sendable, Hashable {
    /// `callgrind` with the valgrind version, e.g. `callgrind-3.19.0`.
    public var tool: String
    /// The geometry valgrind simulated (read back from its output, not assumed).
    public var geometry: SimulatedCacheGeometry
    /// `host` when valgrind read the geometry from this CPU's CPUID, `set` when it was given.
    public var geometrySource: String
    /// Caches evicted before every counted call (`--cold`), or warmed by one uncounted call.
    public var cold: Bool
    /// Calls counted per case; one for cases of more than `singleCallAboveElements` elements.
    public var callsPerCase: Int
    public var singleCallAboveElements: Int
    public var estimatedCyclesFormula: String

    public init(
        tool: String, geometry: SimulatedCacheGeometry, geometrySource: String, cold: Bool, callsPerCase: Int,
        singleCallAboveElements: Int
    ) {
        self.tool = tool
        self.geometry = geometry
        self.geometrySource = geometrySource
        self.cold = cold
        self.callsPerCase = callsPerCase
        self.singleCallAboveElements = singleCallAboveElements
        self.estimatedCyclesFormula = EstimatedCycles.formula
    }

    enum CodingKeys: String, CodingKey {
        case tool, geometry
        case geometrySource = "geometry_source"
        case cold
        case callsPerCase = "calls_per_case"
        case singleCallAboveElements = "single_call_above_elements"
        case estimatedCyclesFormula = "estimated_cycles_formula"
    }
}

/// Retired floating-point arithmetic instructions on doubles by width, per call, from the
/// simulation's per-instruction counts and the binary's disassembly (`add`, `sub`, `mul`, `div`,
/// `min`, `max`, `sqrt` and fused multiply-adds; `sd` scalar, `pd` on xmm, ymm or zmm).
public struct FPInstructionMix: Codable, Sendable, Hashable {
    public var scalar: Double
    public var packed128: Double
    public var packed256: Double
    public var packed512: Double

    public init(scalar: Double = 0, packed128: Double = 0, packed256: Double = 0, packed512: Double = 0) {
        self.scalar = scalar
        self.packed128 = packed128
        self.packed256 = packed256
        self.packed512 = packed512
    }

    public var total: Double { scalar + packed128 + packed256 + packed512 }

    /// Shares by width (`scalar`, `128`, `256`, `512`), as `CounterMetrics.vectorMix` has them;
    /// nil when no FP instruction ran.
    public var shares: [String: Double]? {
        guard total > 0 else { return nil }
        return ["scalar": scalar / total, "128": packed128 / total, "256": packed256 / total, "512": packed512 / total]
    }

    /// Doubles computed per FP instruction: 1 for scalar code, 4 for 256-bit code.
    public var doublesPerInstruction: Double? {
        guard total > 0 else { return nil }
        return (scalar + 2 * packed128 + 4 * packed256 + 8 * packed512) / total
    }

    enum CodingKeys: String, CodingKey {
        case scalar
        case packed128 = "packed_128"
        case packed256 = "packed_256"
        case packed512 = "packed_512"
    }
}

/// One case's simulated counts: per call, with what is derived from them.
public struct SimulatedCounts: Codable, Sendable, Hashable {
    /// Calls counted (0 when not measurable).
    public var calls: Int
    /// `SimulatedEvent` raw name → count per call.
    public var perCall: [String: Double]
    /// What the kernel resolved to under valgrind (`auto` → `avx2`: valgrind hides AVX-512).
    public var resolvedKernel: String?
    public var unavailableReason: String?
    /// FP arithmetic instructions per call by width, from the jsa-bench binary's own code.
    public var fpMix: FPInstructionMix?
    /// `EstimatedCycles.estimate` per call.
    public var estimatedCyclesPerCall: Double?
    /// Per element of the input: instructions, first-level data misses (D1mr + D1mw), last-level
    /// misses of every kind, and bytes from memory (last-level misses × line size).
    public var instructionsPerElement: Double?
    public var d1MissesPerElement: Double?
    public var llMissesPerElement: Double?
    public var bytesFromMemoryPerElement: Double?
    /// Mispredicted / executed conditional branches.
    public var branchMispredictionRate: Double?
    /// Set when the FP instruction mix contradicts the kernel that ran (the vector-width check
    /// where no PMU counts retired widths).
    public var vectorWidthMismatch: String?

    public init(
        calls: Int, perCall: [String: Double], resolvedKernel: String?, unavailableReason: String?,
        fpMix: FPInstructionMix? = nil
    ) {
        self.calls = calls
        self.perCall = perCall
        self.resolvedKernel = resolvedKernel
        self.unavailableReason = unavailableReason
        self.fpMix = fpMix
    }

    /// Counts of `calls` calls (event totals over them) of a case of `n` elements, with the
    /// derived metrics; `lineBytes` is the simulated last-level line size.
    public init(
        totals: [String: Double], calls: Int, n: Int, lineBytes: Int, resolvedKernel: String?,
        fpMix: FPInstructionMix?
    ) {
        let perCall = totals.mapValues { $0 / Double(calls) }
        self.init(calls: calls, perCall: perCall, resolvedKernel: resolvedKernel, unavailableReason: nil, fpMix: fpMix)
        let elements = Double(max(1, n))
        estimatedCyclesPerCall = EstimatedCycles.estimate(perCall)
        instructionsPerElement = perCall[SimulatedEvent.ir.rawValue].map { $0 / elements }
        d1MissesPerElement = SimulatedEvent.sum([.d1mr, .d1mw], in: perCall).map { $0 / elements }
        let llMisses = SimulatedEvent.sum(SimulatedEvent.llMisses, in: perCall)
        llMissesPerElement = llMisses.map { $0 / elements }
        bytesFromMemoryPerElement = llMisses.map { $0 * Double(lineBytes) / elements }
        if let branches = perCall[SimulatedEvent.bc.rawValue], let missed = perCall[SimulatedEvent.bcm.rawValue], branches > 0 {
            branchMispredictionRate = missed / branches
        }
    }

    /// A case that could not be counted, and why.
    public init(unavailable reason: String, resolvedKernel: String?) {
        self.init(calls: 0, perCall: [:], resolvedKernel: resolvedKernel, unavailableReason: reason)
    }

    public subscript(event: SimulatedEvent) -> Double? { perCall[event.rawValue] }

    enum CodingKeys: String, CodingKey {
        case calls
        case perCall = "per_call"
        case resolvedKernel = "resolved_kernel"
        case unavailableReason = "unavailable_reason"
        case fpMix = "fp_mix"
        case estimatedCyclesPerCall = "estimated_cycles_per_call"
        case instructionsPerElement = "instructions_per_element"
        case d1MissesPerElement = "d1_misses_per_element"
        case llMissesPerElement = "ll_misses_per_element"
        case bytesFromMemoryPerElement = "bytes_from_memory_per_element"
        case branchMispredictionRate = "branch_misprediction_rate"
        case vectorWidthMismatch = "vector_width_mismatch"
    }
}
