/// One thing to time: a body that performs one call, and optionally work to do before each sample
/// outside the timed region (cache eviction in cold mode).
public struct TimedCase {
    public let id: String
    public let body: () -> Void
    public let beforeSample: (() -> Void)?

    public init(id: String, beforeSample: (() -> Void)? = nil, body: @escaping () -> Void) {
        self.id = id
        self.body = body
        self.beforeSample = beforeSample
    }
}

/// How samples are taken.
public struct SamplingPlan: Hashable, Sendable {
    /// Samples per case.
    public var samples: Int
    /// Minimum duration of one sample, ns (calibration also enforces 1000 × clock resolution).
    public var minimumSampleNs: Double
    /// Untimed samples per case before the timed ones.
    public var warmupSamples: Int
    /// Untimed calls right before every timed sample. Interleaving means the previous sample
    /// belonged to another case, which may have evicted this one's data (a batch writing
    /// hundreds of MiB does); one call restores the warm state the sample is meant to measure.
    /// Zero in cold mode.
    public var warmCallsPerSample: Int
    /// One call per sample instead of a calibrated count (cold mode: each sample starts after
    /// `beforeSample` evicted the caches, so only a single call is cold).
    public var singleCallSamples: Bool
    /// Time budget per case, ns: a case whose samples would take longer gets fewer samples
    /// (reported as a warning), so a preset's run time stays bounded.
    public var caseBudgetNs: Double

    public init(samples: Int, minimumSampleNs: Double = 1_000_000, warmupSamples: Int = 1,
                singleCallSamples: Bool = false, caseBudgetNs: Double = .infinity) {
        self.samples = samples
        self.minimumSampleNs = minimumSampleNs
        self.warmupSamples = warmupSamples
        self.warmCallsPerSample = singleCallSamples ? 0 : 1
        self.singleCallSamples = singleCallSamples
        self.caseBudgetNs = caseBudgetNs
    }
}

/// What sampling one case produced: raw per-call times and the OS counters around them.
public struct CaseSamples: Sendable {
    public var iterationsPerSample: Int
    /// ns per call of each sample (sample duration / iterations), in the order taken.
    public var samplesNs: [Double]
    /// getrusage deltas around the timed samples, divided by the calls made.
    public var usagePerCall: ResourceUsage
    /// Samples this case was meant to get (fewer when interrupted or over budget).
    public var samplesRequested: Int
    /// Counter readings summed over the timed samples, when a counter source was given.
    public var counters: CounterAccumulator?

    /// Calls made in the timed samples.
    public var calls: Int { samplesNs.count * iterationsPerSample }
}

/// Takes samples of several cases round-robin — in each round every case gets one sample, and
/// the order alternates (A B C, C B A, A B C, ...) — so that drift in frequency, temperature or
/// background load hits every case alike instead of biasing whichever ran last.
///
/// What it measures: the wall time of `iterations` back-to-back calls between two reads of the
/// monotonic clock, divided by `iterations`, after one untimed call that re-warms the caches the
/// previous case may have evicted. What can go wrong: calls that leave state (warm
/// caches, a reused allocation) make later calls faster than a lone call would be; a busy or
/// virtualized machine adds noise that only the spread (MAD, CI) reveals; the two clock reads add
/// `readOverheadNs` to each sample — recorded, and below 1% of a sample by calibration.
public struct InterleavedSampler<Clock: NanosecondClock> {
    public let clock: Clock
    public let profile: ClockProfile
    public let plan: SamplingPlan

    public init(clock: Clock, profile: ClockProfile, plan: SamplingPlan) {
        self.clock = clock
        self.profile = profile
        self.plan = plan
    }

    /// Calibrates, warms up and samples `cases`; `shouldStop` is polled between samples (Ctrl-C),
    /// and `progress` is told after each sample. Returns one result per case, in order.
    ///
    /// With `counters`, the counter source is started right before and stopped right after every
    /// timed sample (outside the clock reads), and its readings are summed per case.
    public func run(_ cases: [TimedCase], counters: CounterSource? = nil, shouldStop: () -> Bool = { false },
                    progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) -> [CaseSamples] {
        let calibration = Calibration(minimumSampleNs: plan.minimumSampleNs, clock: profile)
        let iterations = cases.map { timed -> Int in
            if plan.singleCallSamples || shouldStop() { return 1 }
            timed.beforeSample?()
            return calibration.iterations(clock: clock, timed.body)
        }
        // Predicted per-sample time from calibration bounds the samples a case can get.
        let counted = counters?.events.filter(\.available).map(\.name) ?? []
        let counting = counted.isEmpty ? nil : counters
        var results = cases.indices.map { c in
            CaseSamples(iterationsPerSample: iterations[c], samplesNs: [], usagePerCall: ResourceUsage(),
                        samplesRequested: plan.samples, counters: counting.map { _ in CounterAccumulator(names: counted) })
        }
        var usage = [ResourceUsage](repeating: ResourceUsage(), count: cases.count)
        var budgetSpentNs = [Double](repeating: 0, count: cases.count)

        for _ in 0..<plan.warmupSamples where !shouldStop() {
            for (c, timed) in cases.enumerated() {
                _ = sample(timed, iterations: iterations[c])
            }
        }
        let total = plan.samples * cases.count
        var done = 0
        rounds: for round in 0..<plan.samples {
            let order = round % 2 == 0 ? Array(cases.indices) : cases.indices.reversed()
            for c in order {
                if shouldStop() { break rounds }
                done += 1
                guard budgetSpentNs[c] < plan.caseBudgetNs || results[c].samplesNs.isEmpty else { continue }
                let before = ResourceUsage.now()
                let perCall = sample(cases[c], iterations: iterations[c], counters: counting)
                usage[c] = usage[c] + (ResourceUsage.now() - before)
                if let counting {
                    results[c].counters?.add(counting.stop())
                }
                results[c].samplesNs.append(perCall)
                budgetSpentNs[c] += perCall * Double(iterations[c])
                progress(done, total)
            }
        }
        for c in cases.indices {
            results[c].usagePerCall = usage[c].perCall(results[c].samplesNs.count * iterations[c])
        }
        return results
    }

    /// One sample: ns per call over `iterations` back-to-back calls. `counters` is started here
    /// and left running: the caller stops it (after the closing clock read) and keeps the reading.
    @inline(__always)
    public func sample(_ timed: TimedCase, iterations: Int, counters: CounterSource? = nil) -> Double {
        timed.beforeSample?()
        let body = timed.body
        for _ in 0..<plan.warmCallsPerSample {
            body()
        }
        counters?.start()
        let start = clock.now()
        for _ in 0..<iterations {
            body()
        }
        let end = clock.now()
        return Double(end - start) / Double(iterations)
    }
}
