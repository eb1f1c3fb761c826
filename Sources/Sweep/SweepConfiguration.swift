import BenchModel
import Foundation
import JSA
import Measurement

/// Everything a sweep needs to know before it starts; validated as a whole by `validate()`.
public struct SweepConfiguration: Sendable {
    /// Input lengths, elements, ascending.
    public var sizes: [Int]
    /// Kernels of the native cases, in column order.
    public var kernels: [Kernel]
    /// Period of the native cases.
    public var period: Int
    /// Periods of the batch cases (default 10...40 step 1).
    public var batchPeriods: PeriodRange
    public var samples: Int
    /// Minimum sample duration, ms.
    public var minimumSampleMs: Double
    /// Evict caches before each sample and time single calls.
    public var cold: Bool
    /// The pages the measured buffers are mapped on (`--pages`).
    public var pages: PageSize = .base
    /// Placements of each size's buffers per measuring process (`--placements`, `Workload`): copies
    /// on physical pages of their own, the next one moved to the buffers' addresses before every
    /// round (and every single sample asked for), so that a process's numbers mix that many draws
    /// of pages instead of one. 1: the buffers' own pages only. More than 1 on 4 KiB pages only.
    public var placements = 1
    /// Seed of the input data and of the bootstrap.
    public var seed: UInt64
    /// Batch outputs larger than this are skipped (with an info diagnostic), bytes.
    public var maximumBatchOutputBytes: Int
    /// Time budget per case, s (cases over it get fewer samples, with a warning).
    public var caseBudgetSeconds: Double
    /// The preset this came from, if any.
    public var preset: SweepPreset?
    /// Hardware counter groups to count (`--counters`).
    public var counterGroups: [CounterGroup] = []
    /// Explicit events (`--events`): unknown names are errors.
    public var counterEvents: [String] = []
    /// Whether the Python FFI ladder runs (`off` for `--no-python`, `only` for `jsa-bench python`).
    public var python: PythonMode = .off
    /// Also count instructions of the native cases under callgrind (`--counters callgrind`),
    /// running this executable (which must be built with DWARF 4) under valgrind.
    public var callgrindExecutable: String?
    /// With `callgrindExecutable`: simulate caches and branches too (`--counters cachesim`).
    public var cacheSimulation = false
    /// Simulated caches set by hand (`--simulated-cache`); the others valgrind reads from this CPU.
    public var simulatedCaches: [SimulatedCacheGeometry.Level: SimulatedCache] = [:]
    /// Measuring processes per size: each size's rounds are spread over this many fresh
    /// processes, one after the other, so that the intervals include what a process's buffer
    /// placement does to its numbers (`effectiveProcesses`).
    public var processes: Int = 1
    /// Python helper processes started in each measuring pass (`SweepPreset.ladderHelpersPerPass`):
    /// the ladder's rounds are spread over `processes` × this many helpers. A rung's level differs
    /// between helpers far more than between its samples within one, so its interval is as narrow
    /// as the helpers are many.
    public var ladderHelpersPerPass: Int = 1
    /// The jsa-bench whose `sampling-worker` measures (this executable); nil: this process measures.
    public var workerExecutable: String?
    /// A copy of it the workers run from (`LaunchCopies`, at a path of fixed length); nil: they run
    /// `workerExecutable` itself. Messages name `workerExecutable`.
    public var workerLaunchPath: String?
    /// The epochs each sample's calls are timed in, at most (`SamplingPlan.epochsPerSample`);
    /// 1 times whole samples, as builds before epochs did.
    public var epochsPerSample = SamplingPlan.defaultEpochs
    /// Whether, and how long, samples wait for the host's fast level (`--wait-for-fast-level`);
    /// nil: they never wait.
    public var fastLevelWait: FastLevelWait?
    /// The host's run-level spread for the re-run intervals (`RunInfo.runLevel`); nil for none.
    public var runLevel: RunLevelSpread?

    /// Whether the sweep measures in this process: only without a worker executable, when there is
    /// nothing to start. Otherwise every size is measured in fresh worker processes, `--processes 1`
    /// and hardware counters included (each worker counts around its own samples): run from a copy
    /// at a path of fixed length (`workerLaunchPath`), a worker's heap does not follow where the
    /// build lies, as this process's does, and a measuring process that dies (the OOM killer) ends
    /// no more than its own pass.
    public var measuresInThisProcess: Bool {
        workerExecutable == nil
    }

    /// The processes each size is measured in, one after the other (this one alone where
    /// `measuresInThisProcess`).
    public var effectiveProcesses: Int {
        measuresInThisProcess ? 1 : max(1, min(processes, samples))
    }

    /// Every requested event with its group, groups first, without repeats.
    public var requestedCounters: [(name: String, group: String?)] {
        var seen = Set<String>()
        var result: [(name: String, group: String?)] = []
        for group in counterGroups {
            for name in group.events where seen.insert(name).inserted { result.append((name, group.rawValue)) }
        }
        for name in counterEvents where seen.insert(name).inserted { result.append((name, nil)) }
        return result
    }

    public init(
        sizes: [Int], kernels: [Kernel], period: Int = defaultPeriod,
        batchPeriods: PeriodRange = SweepConfiguration.defaultBatchPeriods, samples: Int,
        minimumSampleMs: Double = 1, cold: Bool = false, seed: UInt64 = 42,
        maximumBatchOutputBytes: Int = 1 << 30, caseBudgetSeconds: Double = 2, preset: SweepPreset? = nil
    ) {
        self.sizes = sizes
        self.kernels = kernels
        self.period = period
        self.batchPeriods = batchPeriods
        self.samples = samples
        self.minimumSampleMs = minimumSampleMs
        self.cold = cold
        self.seed = seed
        self.maximumBatchOutputBytes = maximumBatchOutputBytes
        self.caseBudgetSeconds = caseBudgetSeconds
        self.preset = preset
    }

    // 10, 11, ..., 40: the reference binding's default batch grid.
    public static let defaultBatchPeriods = try! PeriodRange(start: 10, end: 40, step: 1)

    /// Problems that make the sweep impossible, found before any measuring starts.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noSizes
        case nonPositiveSize(Int)
        case nonPositivePeriod(Int)
        case periodTooLong(period: Int, largestSize: Int)
        case nonPositiveSamples(Int)
        case nonPositiveSampleTime(Double)
        case nonPositiveProcesses(Int)
        case tooManySamples(Int)
        case sampleTimeTooLong(Double)
        case tooManyProcesses(Int)
        case epochsOutOfRange(Int)
        case placementsOutOfRange(Int)
        case placementsOnHugePages(Int)
        case waitBudgetOutOfRange(Double)
        case sizeTooLarge(n: Int, bytes: Int?, memory: Int)
        case kernel(JSAError)

        public var description: String {
            switch self {
            case .noSizes: return "no sizes to measure"
            case let .nonPositiveSize(size): return "size \(size) is not positive"
            case let .nonPositivePeriod(period): return "--period must be at least 1, got \(period)"
            case let .periodTooLong(period, largest):
                return "period \(period) does not fit any size (largest is \(largest)); use a smaller --period or larger --sizes"
            case let .nonPositiveSamples(samples): return "--samples must be at least 1, got \(samples)"
            case let .nonPositiveSampleTime(ms): return "--min-sample-ms must be positive, got \(ms)"
            case let .nonPositiveProcesses(count): return "--processes must be at least 1, got \(count)"
            case let .tooManySamples(samples): return "--samples must be at most \(SweepConfiguration.maximumSamples), got \(samples)"
            case let .sampleTimeTooLong(ms):
                return "--min-sample-ms must be at most \(Int(SweepConfiguration.maximumSampleMs)) (10 s per sample), got \(ms)"
            case let .tooManyProcesses(count): return "--processes must be at most \(SweepConfiguration.maximumProcesses), got \(count)"
            case let .epochsOutOfRange(count):
                return "--epochs must be in 1...\(SweepConfiguration.maximumEpochs), got \(count)"
            case let .placementsOutOfRange(count):
                return "--placements must be in 1...\(SweepConfiguration.maximumPlacements), got \(count)"
            case let .placementsOnHugePages(count):
                return "--placements \(count) needs --pages base: on huge pages a buffer's frames are contiguous, "
                    + "so there is no other draw of pages to move to"
            case let .waitBudgetOutOfRange(ratio):
                return "--wait-for-fast-level must be 0 (no wait) or a ratio above 0 and at most "
                    + "\(Int(SweepConfiguration.maximumWaitBudgetRatio)), got \(ratio)"
            case let .sizeTooLarge(n, bytes, memory):
                return "size \(n) needs " + (bytes.map { Format.bytes($0) } ?? "more bytes than an address holds")
                    + " in a measuring process (\(SweepConfiguration.peakContents)), more than this machine's \(Format.bytes(memory))"
            case let .kernel(error): return error.description
            }
        }
    }

    /// Upper bounds of the numeric settings, checked before any work starts.
    public static let maximumSamples = 100_000
    public static let maximumSampleMs = 10_000.0
    public static let maximumProcesses = 64
    /// More epochs than this make each one short against the clock read that ends it.
    public static let maximumEpochs = 64
    /// Each placement is a full copy of a size's buffers (up to `maximumPlacedBytes`).
    public static let maximumPlacements = 32
    /// The most bytes a size's buffers may map for it to get more than one placement: the copies
    /// take `placements` times that (512 MiB at the default 8). Beyond it a size lies far past the
    /// L2, where a draw of pages moves little (the L3's colours hold many pages each), and copies
    /// of its buffers would take seconds to fill.
    public static let maximumPlacedBytes = 64 << 20
    /// The placements of a run on `pages` unless told (`--placements`): 8 on 4 KiB pages — the
    /// default preset's ten rounds per process then meet eight draws — and 1 on huge pages.
    public static func defaultPlacements(on pages: PageSize) -> Int {
        pages == .base ? 8 : 1
    }

    /// Checks a number of placements: 1...`maximumPlacements`, and more than 1 only on 4 KiB pages.
    public static func check(placements: Int, on pages: PageSize) throws(Problem) {
        guard (1...maximumPlacements).contains(placements) else { throw .placementsOutOfRange(placements) }
        guard placements == 1 || pages == .base else { throw .placementsOnHugePages(placements) }
    }
    /// Waits for the fast level may take at most this many times the sampling time (a run at most
    /// this many times longer plus one).
    public static let maximumWaitBudgetRatio = 20.0

    /// Checks the configuration against this machine; sizes too short for the period are allowed
    /// (they are skipped with a diagnostic) as long as one size holds it.
    public func validate() throws(Problem) {
        guard let largest = sizes.max() else { throw .noSizes }
        if let bad = sizes.first(where: { $0 <= 0 }) { throw .nonPositiveSize(bad) }
        guard samples >= 1 else { throw .nonPositiveSamples(samples) }
        guard samples <= Self.maximumSamples else { throw .tooManySamples(samples) }
        guard minimumSampleMs > 0, minimumSampleMs.isFinite else { throw .nonPositiveSampleTime(minimumSampleMs) }
        guard minimumSampleMs <= Self.maximumSampleMs else { throw .sampleTimeTooLong(minimumSampleMs) }
        guard processes >= 1 else { throw .nonPositiveProcesses(processes) }
        guard processes <= Self.maximumProcesses else { throw .tooManyProcesses(processes) }
        guard (1...Self.maximumEpochs).contains(epochsPerSample) else { throw .epochsOutOfRange(epochsPerSample) }
        try Self.check(placements: placements, on: pages)
        if let ratio = fastLevelWait?.budgetRatio, !(ratio > 0 && ratio <= Self.maximumWaitBudgetRatio) {
            throw .waitBudgetOutOfRange(ratio)
        }
        if let memory = SystemMemory.physicalBytes {
            let caches = CacheTopology.read()
            for n in sizes {
                let bytes = peakBytes(n: n, caches: caches)
                if bytes.map({ $0 > memory }) ?? true { throw .sizeTooLarge(n: n, bytes: bytes, memory: memory) }
            }
        }
        guard period >= 1 else { throw .nonPositivePeriod(period) }
        guard period <= largest else { throw .periodTooLong(period: period, largestSize: largest) }
        for kernel in kernels {
            do {
                _ = try kernel.resolved()
            } catch {
                throw .kernel(error)
            }
        }
    }
}

extension SweepConfiguration {
    /// The kernels a sweep measures unless told: every one `cpu` supports, narrowest first, then
    /// `auto` (the column order of the tables).
    public static func defaultKernels(on cpu: CPUFeatures) -> [Kernel] {
        (Kernel.concrete + [.auto]).filter { cpu.supports($0) }
    }
}

/// Sweep presets: sizes placed by the cache levels of this machine, samples and budgets chosen so
/// the whole run stays within its time bound on a 2-core machine.
///
/// The default and full presets take twice the rounds of 1 ms samples at half their length: a
/// case's interval is as wide as Student's t over its measuring processes' levels, and a process's
/// level is the median polish of its own rounds, which a stretch at another host speed moves when
/// it holds two of five rounds and seldom when it holds two of ten. On the AMD EPYC guest
/// (2026-12-04, `sweep --sizes 1000,10000,100000 --kernels scalar,avx2`, 4 processes, four sets of
/// 16–20 runs of each sampling alternating, every consecutive pair gated as a stored baseline): 20
/// samples of 1 ms left 171 of 1836 cases inconclusive (9.3%), 40 of 0.5 ms 106 (5.8%), in the
/// same 2.6 s a run; headline coverage 70.0–85.7% against 65.1–87.3%. `docs/measuring.md` has
/// the sets.
///
/// The default preset spreads 60 samples over 6 processes (ten rounds each), the full one 80 over
/// 8: the interval is Student t over the processes' levels, so more of them narrow it twice —
/// by √K and by t's quantile (3.18 at 4 processes, 2.57 at 6, 2.36 at 8). On the AMD EPYC Zen 4
/// guest (2026-12-04 21:27–21:36, `sweep --sizes 1000,10000,100000 --kernels scalar,avx2`, two
/// sets of 8 A/A pairs per sampling, interleaved pair by pair, each pair gated as a stored
/// baseline): 4 × 10 left 37 of 432 comparisons inconclusive on estimates (8.6%) and 76 of 336 on
/// memcpy (22.6%), 2.7 s a run; 6 × 10 3 of 216 and 10 of 168 (1.4%, 6.0%), 3.9 s; 8 × 10 5 of 432
/// and 7 of 336 (1.2%, 2.1%), 5.2 s; 8 × 5 (the samples of 4 × 10) 7 of 216 and 31 of 168, one of
/// them STREAM add 8.1% slower (`ReferenceShift`). Headline coverage over 8 runs each: 83.9%,
/// 81.2%, 83.0%. The default preset took 23.9 s at 4 × 10, 34.4 s at 6 × 10 and 45.6 s at 8 × 10
/// (once each, with the Python ladder): 8 would leave too little of its 60 s to a host at its
/// slower level.
public enum SweepPreset: String, CaseIterable, Sendable {
    /// A handful of sizes (L1, L2, L3 up to 16 MiB), 9 samples of 1 ms: ~10 s.
    case quick
    /// Every level including beyond L3, 60 samples of 0.5 ms over 6 processes: ~60 s on an L3 of
    /// up to 32 MiB; its ½ L3 and 2× L3 sizes follow the cache, and its time with them (3 min 28 s
    /// – 4 min 9 s where CPUID reports 300 MiB, `docs/measuring.md`).
    case `default`
    /// More sizes per level and two DRAM sizes, 80 samples of 0.5 ms over 8 processes.
    case full

    public var samples: Int {
        switch self {
        case .quick: return 9
        case .default: return 60
        case .full: return 80
        }
    }

    /// The shortest a sample may be, ms (a sample is at least one call, so calls longer than this
    /// make longer samples).
    public var minimumSampleMs: Double {
        switch self {
        case .quick: return 1
        case .default, .full: return 0.5
        }
    }

    /// Measuring processes per size (each size's rounds are spread over them).
    public var processes: Int {
        switch self {
        case .quick: return 3
        case .default: return 6
        case .full: return 8
        }
    }

    /// The largest batch output (bytes) the preset measures: above it the batch cases of a size
    /// are skipped with a note. A batch writes one row of n doubles per period (31 by default),
    /// so at L3-sized n its output is ~1 GiB and one call takes longer than a whole quick sweep.
    public var maximumBatchOutputBytes: Int {
        switch self {
        case .quick: return 64 << 20
        case .default: return 256 << 20
        case .full: return 1 << 30
        }
    }

    public var caseBudgetSeconds: Double {
        switch self {
        case .quick: return 0.5
        case .default: return 1.5
        case .full: return 5
        }
    }

    /// Python helpers per measuring process (`SweepConfiguration.ladderHelpersPerPass`): two in the
    /// default and full presets. A rung's level differs between helpers more than its samples
    /// within one (`jsa` at n = 1000: 191–208 ns over the six helpers of one sweep, each within
    /// ±1%; AMD EPYC Zen 4 guest, 2026-12-04 22:12). Eight A/A pairs of `jsa-bench python --sizes
    /// 1000,32768,100000` per count, interleaved (22:36–22:38), each gated as a stored baseline:
    /// 93 of 288 rungs inconclusive with 6 helpers, 50 of 288 with 12; a helper costs about 85 ms
    /// to start.
    public var ladderHelpersPerPass: Int {
        switch self {
        case .quick: return 1
        case .default, .full: return 2
        }
    }

    /// The waits for the host's fast level before samples (`--wait-for-fast-level`, 0 for none):
    /// at most as long as the sampling itself, so a run lasts at most about twice as long. On the
    /// AMD EPYC Zen 4 guest (2026-12-04 19:33, 8 A/A pairs of `sweep --sizes 1000,10000,100000
    /// --kernels scalar,avx2` per setting, interleaved) a ratio of 1 left 22.7% and 13.7% of the
    /// gate's comparisons inconclusive (estimates, memcpy) against 48.6% and 41.7% without
    /// waiting and 31.9% and 19.6% with 3, the sweep taking 3.1 s against 2.6 s and 4.0 s; at
    /// 19:41 (12 pairs) 24.1% and 14.3% against 54.0% and 43.7%, fewer in 11 and 10 of the 12 pairs.
    public var fastLevelWait: FastLevelWait? { FastLevelWait(budgetRatio: 1) }

    /// Sizes (elements) for `caches`: each level gets sizes whose working set (16 B/element:
    /// input + output) sits well inside it, and DRAM sizes exceed L3 (twice over in the default
    /// preset, whose time bound a larger one would take most of on a 100 MiB L3; 4 and 16 times in
    /// the full one). The quick preset's L3 size is half the L3 up to 16 MiB (and at least twice
    /// the L2): on a 105 MiB L3 half of it took 4–5 s of the quick sweep's 10 (2026-12-03).
    public func sizes(for caches: CacheTopology) -> [Int] {
        let l1 = caches.l1dBytes ?? 32 << 10
        let l2 = caches.l2Bytes ?? 1 << 20
        let l3 = caches.l3Bytes ?? 32 << 20
        let elements = { (bytes: Int) in max(64, bytes / 16) }
        let sizes: [Int]
        switch self {
        case .quick:
            sizes = [1000, 10_000, elements(l2 / 2), elements(min(l3 / 2, max(16 << 20, 2 * l2)))]
        case .default:
            sizes = [1000, 10_000, elements(l2 / 2), 100_000, elements(l3 / 2), elements(2 * l3)]
        case .full:
            sizes = [
                100, 1000, elements(l1 / 2), elements(l1 * 3 / 4), 10_000, elements(l2 / 2), elements(l2 * 3 / 4),
                100_000, elements(l3 / 4), elements(l3 / 2), elements(4 * l3), elements(16 * l3)
            ]
        }
        return Array(Set(sizes)).sorted()
    }
}

/// Parses size lists as users type them: `1e3,4096,1_000_000,2.5e5`.
public enum SizeList {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "invalid size '\(text)': \(reason)" }
    }

    /// Sizes in the order given, duplicates removed.
    public static func parse(_ list: String) throws(ParseError) -> [Int] {
        var sizes: [Int] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let size = try parseOne(String(item))
            if !sizes.contains(size) { sizes.append(size) }
        }
        return sizes
    }

    /// One size: an integer (underscores allowed between digits) or a decimal with an exponent
    /// that denotes a whole number (`1e3`, `2.5e5`). Must be positive.
    public static func parseOne(_ text: String) throws(ParseError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ParseError(text: text, reason: "empty") }
        let digits = trimmed.replacingOccurrences(of: "_", with: "")
        guard !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__") else {
            throw ParseError(text: text, reason: "underscores go between digits")
        }
        let value: Int
        if let integer = Int(digits) {
            value = integer
        } else if let real = Double(digits), real.isFinite, digits.allSatisfy({ "0123456789.eE+-".contains($0) }) {
            guard real == real.rounded(), abs(real) < 1e15 else {
                throw ParseError(text: text, reason: "not a whole number of elements")
            }
            value = Int(real)
        } else {
            throw ParseError(text: text, reason: "not a number (use forms like 1000, 1_000 or 1e3)")
        }
        guard value > 0 else { throw ParseError(text: text, reason: "sizes must be positive") }
        return value
    }
}
