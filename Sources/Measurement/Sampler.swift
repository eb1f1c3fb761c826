import BenchModel
import SeededRandom
import Statistics

/// One thing to time: a body that performs one call, and optionally work to do before each sample
/// outside the timed region (cache eviction in cold mode).
public struct TimedCase {
    public let id: String
    public let body: () -> Void
    public let beforeSample: (() -> Void)?
    /// Whether the plan's warm calls run before each sample. False where no call can leave the
    /// case warm (a working set beyond the last-level cache): the call would only double the cost.
    public let warmable: Bool

    public init(id: String, beforeSample: (() -> Void)? = nil, warmable: Bool = true, body: @escaping () -> Void) {
        self.id = id
        self.body = body
        self.beforeSample = beforeSample
        self.warmable = warmable
    }
}

/// How samples are taken.
public struct SamplingPlan: Hashable, Sendable {
    /// Samples per case (one per round).
    public var samples: Int
    /// Minimum duration of one sample, ns (calibration also enforces 1000 × clock resolution).
    public var minimumSampleNs: Double
    /// Untimed samples per case before the timed ones. Zero by default: calibration's calls have
    /// warmed every case, and every timed sample starts with untimed warm calls anyway
    /// (`warmCallsPerSample`), so a warm-up sample only repeats that at the cost of two calls.
    public var warmupSamples: Int
    /// Untimed calls right before every timed sample, at most (fewer once they have taken
    /// `warmBudgetNs`, but always one). Interleaving means the previous sample belonged to another
    /// case, which may have evicted this one's data (a batch writing hundreds of MiB does), and one
    /// pass does not bring a working set of several MiB back: on an Intel Xeon guest (2026-12-03,
    /// 16 MiB at L3, after a 248 MiB pass) the next calls took 13–30% longer after one warm call,
    /// 17% after two, and as long as undisturbed ones after four. Zero in cold mode.
    public var warmCallsPerSample: Int
    /// The time after which no further warm call starts, ns: four minimum samples, so that the
    /// warm-up stays a small part of sampling at sizes where one call lasts many milliseconds
    /// (and where the data does not stay in any cache anyway).
    public var warmBudgetNs: Double
    /// One call per sample instead of a calibrated count (cold mode: each sample starts after
    /// `beforeSample` evicted the caches, so only a single call is cold).
    public var singleCallSamples: Bool
    /// Time budget per case, ns: a case whose samples would take longer gets fewer samples
    /// (reported as a warning), so a preset's run time stays bounded.
    public var caseBudgetNs: Double
    /// The consecutive stretches a sample's calls are timed in, at most (a sample of fewer calls
    /// has one per call); the sample is the median stretch's ns per call. 1: the whole sample's
    /// wall time over its calls.
    public var epochsPerSample: Int
    /// Whether, and how long, to wait for the host's fast level before each sample (nil: never).
    public var fastLevelWait: FastLevelWait?

    /// Epochs per sample unless asked otherwise. On the AMD EPYC guest (2026-12-04) a 1 ms stretch
    /// of back-to-back calls held one or two pauses of 13–30 µs each (the vCPU taken away), 1.5–8%
    /// of its time, and how many came per millisecond moved by stretches of tens of seconds:
    /// whole 1 ms samples put every case of one run 1–4% above or below the next run's, together,
    /// where a 2.2 µs call and the median of eight 125 µs stretches stayed put. In eight epochs
    /// one or two are hit and the median is not.
    public static let defaultEpochs = 8

    public init(
        samples: Int, minimumSampleNs: Double = 1_000_000, warmupSamples: Int = 0,
        singleCallSamples: Bool = false, caseBudgetNs: Double = .infinity, epochsPerSample: Int = defaultEpochs,
        fastLevelWait: FastLevelWait? = nil
    ) {
        self.samples = samples
        self.minimumSampleNs = minimumSampleNs
        self.warmupSamples = warmupSamples
        self.warmCallsPerSample = singleCallSamples ? 0 : 4
        self.warmBudgetNs = 4 * minimumSampleNs
        self.singleCallSamples = singleCallSamples
        self.caseBudgetNs = caseBudgetNs
        self.epochsPerSample = max(1, epochsPerSample)
        self.fastLevelWait = fastLevelWait
    }
}

/// One timed sample: ns per call, and the speed probe timed right before it.
public struct TimedSample: Codable, Hashable, Sendable {
    /// ns per call of the median epoch (`SamplingPlan.epochsPerSample`): the sample's calls
    /// without the pauses that fell into a minority of its epochs.
    public var ns: Double
    /// Wall time of all the sample's calls divided by their count, ns: `ns` plus what the pauses
    /// cost. Equal to `ns` for a sample of one epoch.
    public var wallNs: Double
    /// Duration of the speed probe run right before the sample, ns (nil where no probe ran).
    public var probeNs: Double?
    /// Time spent waiting for the host's fast level before the sample, ns (nil where the plan
    /// has no `fastLevelWait`).
    public var waitedNs: Double?

    public init(ns: Double, wallNs: Double? = nil, probeNs: Double?, waitedNs: Double? = nil) {
        self.ns = ns
        self.wallNs = wallNs ?? ns
        self.probeNs = probeNs
        self.waitedNs = waitedNs
    }

    enum CodingKeys: String, CodingKey {
        case ns
        case wallNs = "wall_ns"
        case probeNs = "probe_ns"
        case waitedNs = "waited_ns"
    }
}

/// What sampling one case produced: raw per-call times, when and where each was taken, and the
/// OS counters around them.
public struct CaseSamples: Sendable {
    /// The fewest calls any of its samples made (processes calibrate on their own).
    public var iterationsPerSample: Int
    /// ns per call of each sample (its median epoch), in the order taken.
    public var samplesNs: [Double] = []
    /// Wall time over calls of each sample (`TimedSample.wallNs`).
    public var wallNs: [Double] = []
    /// The round of each sample (every round gives each case at most one sample).
    public var rounds: [Int] = []
    /// The measuring process of each sample (0 when all were taken in one).
    public var processes: [Int] = []
    /// The speed probe's duration before each sample, ns (nil where none ran).
    public var probesNs: [Double?] = []
    /// Time waited for the host's fast level before the samples, ns, in total (nil where no
    /// sample waited under a `fastLevelWait`).
    public var waitedNs: Double?
    /// Calls made in the timed samples.
    public var calls = 0
    /// getrusage deltas around the timed samples, divided by the calls made.
    public var usagePerCall: ResourceUsage = ResourceUsage()
    /// Samples this case was meant to get (fewer when interrupted or over budget).
    public var samplesRequested: Int
    /// Counter readings summed over the timed samples, when a counter source was given.
    public var counters: CounterAccumulator?

    public init(iterationsPerSample: Int, samplesRequested: Int, counters: CounterAccumulator? = nil) {
        self.iterationsPerSample = iterationsPerSample
        self.samplesRequested = samplesRequested
        self.counters = counters
    }

    /// Appends one sample of `iterations` calls, taken in `round` by `process`.
    public mutating func append(_ sample: TimedSample, round: Int, process: Int = 0, iterations: Int) {
        samplesNs.append(sample.ns)
        wallNs.append(sample.wallNs)
        probesNs.append(sample.probeNs)
        if let waited = sample.waitedNs {
            waitedNs = (waitedNs ?? 0) + waited
        }
        rounds.append(round)
        processes.append(process)
        iterationsPerSample = calls == 0 ? iterations : min(iterationsPerSample, iterations)
        calls += iterations
    }
}

/// The per-case time budget of a sampling plan: a case whose samples have used its budget gets
/// no more (it keeps at least one from each measuring process).
public struct SamplingBudget: Sendable {
    public let budgetNs: Double
    private var spentNs: [Double]

    public init(cases: Int, budgetNs: Double) {
        self.budgetNs = budgetNs
        spentNs = Array(repeating: 0, count: cases)
    }

    /// Whether case `index` may get another sample in a measuring process that has taken `taken`
    /// of it so far: its first there always, so that every process that samples the case gives
    /// it a replicate; later ones while the case has spent less than `share` of the budget — the
    /// part the processes so far may spend ((k + 1) / K in the k-th of K), so that a case the
    /// budget cuts has its samples spread over all of a size's processes, not taken by the first.
    public func allows(_ index: Int, taken: Int, share: Double = 1) -> Bool {
        taken == 0 || spentNs[index] < budgetNs * share
    }

    /// Books a sample of `iterations` calls at `ns` per call to case `index`.
    public mutating func spend(_ index: Int, ns: Double, iterations: Int) {
        spentNs[index] += ns * Double(iterations)
    }
}

/// Takes samples of several cases in rounds — in each round every case gets one sample, in an
/// order drawn afresh for the round — so that drift in frequency, temperature or background load
/// hits every case alike instead of biasing whichever ran last, so that no case always follows
/// the same one (what a case leaves behind, dirty lines still being written back, slows the next),
/// and so that the analysis can remove what each round had in common (`rounds` of every
/// `CaseSamples`).
///
/// What it measures: `iterations` back-to-back calls, timed in consecutive epochs (up to
/// `epochsPerSample`, each between two reads of the monotonic clock), as the median epoch's ns per
/// call — and the whole sample's wall time over its calls beside it — after up to four untimed
/// calls that re-warm the caches the previous case may have evicted (`warmCallsPerSample`); and,
/// before those calls, the duration of the speed probe (fixed work, `SpeedProbe`), which tells how
/// fast the core ran at that moment. What can go wrong: calls that leave state (warm caches, a
/// reused allocation) make later calls faster than a lone call would be; a shared host slows whole
/// stretches of a run (the probe shows when) and takes the vCPU away for pauses of tens of µs
/// (the median epoch leaves out those that hit fewer than half of a sample's epochs; the wall time
/// keeps them); the clock read that ends each epoch adds `readOverheadNs` to it — recorded; 37 ns
/// against the 62.5 µs epochs of a 0.5 ms sample on the AMD EPYC guest.
public struct InterleavedSampler<Clock: NanosecondClock> {
    public let clock: Clock
    public let profile: ClockProfile
    public let plan: SamplingPlan
    /// The work timed before each sample as the speed index (nil: none).
    public let probe: (() -> Void)?
    /// The waits for the host's fast level (`plan.fastLevelWait`; nil without a probe).
    public let fastLevelWaiter: FastLevelWaiter?

    /// A sampler of `plan`; `probeFloorNs` is the lowest probe earlier processes of the run saw,
    /// where waits for the fast level start from it.
    public init(
        clock: Clock, profile: ClockProfile, plan: SamplingPlan, probe: (() -> Void)? = SpeedProbe.run,
        probeFloorNs: Double? = nil
    ) {
        self.clock = clock
        self.profile = profile
        self.plan = plan
        self.probe = probe
        fastLevelWaiter = probe == nil ? nil : plan.fastLevelWait.map { FastLevelWaiter(policy: $0, floorNs: probeFloorNs) }
    }

    /// The calibrated iterations per sample of each case (1 for single-call samples, or when
    /// `shouldStop` is already true).
    public func calibrate(_ cases: [TimedCase], calledBefore: Bool = false, shouldStop: () -> Bool = { false }) -> [Int] {
        let calibration = Calibration(minimumSampleNs: plan.minimumSampleNs, clock: profile)
        return cases.map { timed -> Int in
            if plan.singleCallSamples || shouldStop() { return 1 }
            timed.beforeSample?()
            return calibration.iterations(clock: clock, calledBefore: calledBefore, shouldStop: shouldStop, timed.body)
        }
    }

    /// The plan's untimed warm-up samples of every case.
    public func warmUp(_ cases: [TimedCase], iterations: [Int], shouldStop: () -> Bool = { false }) {
        for _ in 0..<plan.warmupSamples where !shouldStop() {
            for (c, timed) in cases.enumerated() {
                _ = sample(timed, iterations: iterations[c])
            }
        }
    }

    /// The order of the cases in round `round`: a permutation seeded by the round (the same in
    /// every run and process). With a fixed order, or one alternating A B C, C B A, a case always
    /// follows the same neighbours, and what a neighbour leaves behind biases it the same way in
    /// every round: at L3 sizes on an Intel Xeon guest (2026-12-03, one warm call per sample) the
    /// fourth `into` case of a sweep — whichever kernel it was — measured 11–26% slower than the
    /// same kernel third.
    public static func order(round: Int, count: Int) -> [Int] {
        var generator = SplitMix64(seed: 0x5A3D_1E0F_0DDE_7A11 ^ (UInt64(truncatingIfNeeded: round) &* 0x9E37_79B9_7F4A_7C15))
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return order
    }

    /// Calibrates, warms up and samples `cases` in `plan.samples` rounds; `shouldStop` is polled
    /// between samples (Ctrl-C), and `progress` is told after each sample. Returns one result per
    /// case, in order.
    ///
    /// With `counters`, the counter source is started right before and stopped right after every
    /// timed sample (outside the clock reads), and its readings are summed per case.
    public func run(
        _ cases: [TimedCase], counters: CounterSource? = nil, shouldStop: () -> Bool = { false },
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) -> [CaseSamples] {
        let iterations = calibrate(cases, shouldStop: shouldStop)
        let counted = counters?.events.filter(\.available).map(\.name) ?? []
        let counting = counted.isEmpty ? nil : counters
        var results = cases.indices.map { c in
            CaseSamples(
                iterationsPerSample: iterations[c], samplesRequested: plan.samples,
                counters: counting.map { _ in CounterAccumulator(names: counted) })
        }
        var usage = [ResourceUsage](repeating: ResourceUsage(), count: cases.count)
        var budget = SamplingBudget(cases: cases.count, budgetNs: plan.caseBudgetNs)
        warmUp(cases, iterations: iterations, shouldStop: shouldStop)
        let total = plan.samples * cases.count
        var done = 0
        rounds: for round in 0..<plan.samples {
            for c in Self.order(round: round, count: cases.count) {
                if shouldStop() { break rounds }
                done += 1
                guard budget.allows(c, taken: results[c].samplesNs.count) else { continue }
                let before = ResourceUsage.now()
                let taken = sample(cases[c], iterations: iterations[c], counters: counting)
                usage[c] = usage[c] + (ResourceUsage.now() - before)
                if let counting {
                    results[c].counters?.add(counting.stop())
                }
                results[c].append(taken, round: round, iterations: iterations[c])
                budget.spend(c, ns: taken.ns, iterations: iterations[c])
                progress(done, total)
            }
        }
        for c in cases.indices {
            results[c].usagePerCall = usage[c].perCall(results[c].calls)
        }
        return results
    }

    /// One sample: the speed probe (again, while a `fastLevelWait` waits for the fast level — and
    /// then once more after the sample, the slower of the two counting as its probe), the case's
    /// preparation (cache eviction in cold mode), the warm calls (for a warmable case), then
    /// `iterations` back-to-back calls in epochs: ns per call of the median epoch, and of the whole. `counters` is started here and left running: the caller
    /// stops it (after the closing clock read) and keeps the reading.
    @inline(__always)
    public func sample(_ timed: TimedCase, iterations: Int, counters: CounterSource? = nil) -> TimedSample {
        var probeNs: Double?
        var waitedNs: Double?
        // A counted sample neither waits nor probes after its calls: the counters, started before
        // the calls and stopped by the caller, would count the probe.
        let waiter = counters == nil ? fastLevelWaiter : nil
        if let probe {
            probe()  // untimed: brings the probe's data back into L1 after a case that evicted it
            let first = probeTime(probe)
            probeNs = first
            if let waiter {
                (probeNs, waitedNs) = waiter.wait(firstProbeNs: first, now: clock.now, probe: { probeTime(probe) })
            }
        }
        timed.beforeSample?()
        let body = timed.body
        let warmStart = clock.now()
        for call in 0..<(timed.warmable ? plan.warmCallsPerSample : 0) {
            if call > 0 && Double(clock.now() - warmStart) >= plan.warmBudgetNs { break }
            body()
        }
        let epochs = max(1, min(plan.epochsPerSample, iterations))
        var epochNs = [Double](repeating: 0, count: epochs)  // ns per call of each epoch
        counters?.start()
        let start = clock.now()
        var epochStart = start
        for epoch in 0..<epochs {
            let calls = iterations / epochs + (epoch < iterations % epochs ? 1 : 0)
            for _ in 0..<calls {
                body()
            }
            let epochEnd = clock.now()
            epochNs[epoch] = Double(epochEnd - epochStart) / Double(calls)
            epochStart = epochEnd
        }
        if let waiter, let before = probeNs, let probe {
            // The probe that ended a wait was chosen for reading fast; the one after the sample was not.
            probe()  // untimed, as before the sample: the case may have evicted the probe's data
            let after = probeTime(probe)
            waiter.observe(after)
            waiter.sampled(Double(epochStart - warmStart))
            probeNs = max(before, after)
        }
        return TimedSample(
            ns: Statistics.median(epochNs), wallNs: Double(epochStart - start) / Double(iterations),
            probeNs: probeNs, waitedNs: waitedNs)
    }

    /// One run of the speed probe, timed, ns.
    @inline(__always)
    private func probeTime(_ probe: () -> Void) -> Double {
        let start = clock.now()
        probe()
        return Double(clock.now() - start)
    }
}
