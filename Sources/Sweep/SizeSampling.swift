import BenchModel
import Foundation
import Measurement
import Statistics
import SystemIO

/// The measuring of one size, pass by pass: in each pass a measuring process — a fresh
/// `sampling-worker` process, or this process when there is one pass — builds the size's cases and
/// takes its share of the rounds. A sweep runs pass 1 of every size, then pass 2 of every size, and
/// so on, so that each size's rounds are spread over the whole run and over as many processes:
/// a stretch of seconds in which the host runs slow, or a process whose buffers land badly, then
/// shows in the spread between rounds instead of shifting a whole size.
final class SizeSampling {
    let configuration: SweepConfiguration
    let n: Int
    let shouldStop: () -> Bool
    let note: (Diagnostic) -> Void
    private(set) var templates: [CaseResult]?
    /// The wall time of the size's measuring processes' setup — starting each, building, verifying
    /// and calibrating its cases — in all, seconds.
    private(set) var setupSeconds = 0.0
    private var gathered: [CaseSamples] = []
    private var used: [CaseUsage] = []
    /// How each pass's process paged the size's buffers (nil for one that did not say).
    private var backings: [PageBacking?] = []
    private var budget: SamplingBudget
    private var round = 0
    /// Starts the measuring process of a pass from its setup and this process's counters; nil:
    /// `start`'s own choice (this process or a fresh worker). Tests put scripted processes here.
    var startMeasurer: ((WorkerSetup, CounterSource?) throws(MeasuringFailure) -> any MeasuringProcess)?
    /// The memory a measuring process could take now (nil: unknown, and a pass starts anyway).
    /// Tests put a scripted amount here.
    var availableMemory: () -> KernelMemory.Available? = KernelMemory.available

    init(configuration: SweepConfiguration, n: Int, shouldStop: @escaping () -> Bool, note: @escaping (Diagnostic) -> Void) {
        self.configuration = configuration
        self.n = n
        self.shouldStop = shouldStop
        self.note = note
        budget = SamplingBudget(cases: 0, budgetNs: configuration.caseBudgetSeconds * 1e9)
        _ = SweepCaseFactory.batchRows(configuration: configuration, n: n, note: note)  // says why a batch is skipped
    }

    /// How many of `rounds` rounds each of `passes` passes takes (as even as can be).
    static func roundsPerPass(_ rounds: Int, passes: Int) -> [Int] {
        (0..<passes).map { k in rounds / passes + (k < rounds % passes ? 1 : 0) }
    }

    /// The lowest speed probe of the samples so far, ns (nil before any).
    var lowestProbeNs: Double? {
        gathered.flatMap { $0.probesNs.compactMap { $0 } }.min()
    }

    /// Pass `pass` of `passes`: a measurer for it, its share of the rounds, its usage; `progress` is
    /// told the fraction of the pass done. The available events of `counters` are counted around
    /// every sample, by the process that takes it (this one's `counters`, or a worker's own event
    /// set); `probeFloorNs`, the lowest probe of the run so far, is where waits for the fast level
    /// start. Each case may spend (pass + 1) / passes of its budget by the end of the pass, and
    /// takes at least one sample in it; a process the memory available cannot hold is not started
    /// (`memoryShortfall()`).
    func pass(_ pass: Int, of passes: Int, counters: CounterSource?, probeFloorNs: Double? = nil, progress: (Double) -> Void) {
        let share = Self.roundsPerPass(configuration.samples, passes: passes)[pass]
        guard share > 0, !shouldStop() else { return }
        if let short = memoryShortfall() {
            note(Diagnostic(.warning, "memory_short", "n=\(n): measuring process \(pass + 1) of \(passes) not started: \(short)"))
            return
        }
        let measurer: any MeasuringProcess
        let clock = MonotonicClock()
        let starting = clock.now()
        do {
            defer { setupSeconds += Double(clock.now() - starting) / 1e9 }  // a start that failed took its time too
            measurer = try start(counters: counters, local: configuration.measuresInThisProcess, probeFloorNs: probeFloorNs)
        } catch {
            if error.kind != .stopped {
                note(Diagnostic(.warning, "process_failed", "n=\(n): measuring process \(pass + 1) of \(passes) failed: \(error)"))
            }
            return
        }
        defer { measurer.stop() }
        backings.append(measurer.pageBacking?.first { $0.n == n }?.backing)
        if templates == nil {
            adopt(measurer.cases)
        }
        guard measurer.cases.map(\.id) == templates!.map(\.id) else {
            note(Diagnostic(.warning, "process_failed", "n=\(n): measuring process \(pass + 1) built other cases than the first"))
            return
        }
        let verified = measurer.cases.indices.filter { measurer.cases[$0].verified }
        var takenHere = [Int](repeating: 0, count: measurer.cases.count)
        let budgetShare = Double(pass + 1) / Double(passes)
        do {
            for taken in 0..<share {
                if shouldStop() { break }
                let indices = verified.filter { budget.allows($0, taken: takenHere[$0], share: budgetShare) }
                let samples = try measurer.round(round, cases: indices)
                for (index, sample) in zip(indices, samples) {
                    let iterations = measurer.cases[index].iterationsPerSample
                    gathered[index].append(sample, round: round, process: pass, iterations: iterations)
                    budget.spend(index, ns: sample.ns, iterations: iterations)
                    takenHere[index] += 1
                }
                round += 1
                progress(Double(taken + 1) / Double(share))
            }
            let reported = try measurer.usage()
            for index in used.indices { used[index].add(reported, case: index) }
        } catch  where error.kind == .stopped {
            return
        } catch {
            note(
                Diagnostic(
                    .warning, "process_failed",
                    "n=\(n): measuring process \(pass + 1) of \(passes): \(error); its samples so far are kept"))
        }
    }

    /// The time the size's samples waited for the host's fast level, in all, seconds.
    var waitedSeconds: Double {
        gathered.reduce(0) { $0 + ($1.waitedNs ?? 0) } / 1e9
    }

    /// The size's phase in the run's `WallTime`.
    var wallTimePhase: String { "n=\(n)" }

    /// The size's cases with everything sampled so far; nil when no measurer ever started.
    func results() -> [CaseResult]? {
        guard let templates else { return nil }
        return templates.indices.compactMap { index in
            var result = templates[index]
            let sampled = gathered[index]
            guard !sampled.samplesNs.isEmpty || !result.verified else { return nil }
            result.samplesNs = sampled.samplesNs
            result.samplesWallNs = CaseResult.wallTimes(sampled.wallNs, of: sampled.samplesNs)
            result.sampleRounds = sampled.rounds
            result.sampleProcesses = sampled.processes
            result.probesNs = sampled.probesNs.contains(nil) ? nil : sampled.probesNs.compactMap { $0 }
            result.waitedNs = sampled.waitedNs
            result.samplesRequested = sampled.samplesRequested
            result.iterationsPerSample = sampled.iterationsPerSample
            result.rusagePerCall = used[index].usage.perCall(used[index].calls)
            if !sampled.samplesNs.isEmpty, let accumulator = used[index].counters {
                let counts = accumulator.finish(
                    calls: used[index].countedCalls, elements: result.n, bytesPerCall: result.bytesPerCall,
                    nsPerCall: Statistics.median(sampled.samplesNs))
                result.counters = counts
                if result.kind?.nativeVariant != nil, let resolved = result.resolvedKernel, let mix = counts.derived.vectorMix {
                    result.vectorIdentityMismatch = VectorIdentity.mismatch(kernel: resolved, mix: mix)
                }
            }
            return result
        }
    }

    /// Notes what the finished size should warn about: buffers paged otherwise than asked,
    /// vector-identity mismatches, and cases whose budget cut their samples.
    func noteOutcome() {
        if let shortfall = configuration.pages.shortfall(of: backings, policy: Environment.transparentHugePagePolicy()) {
            note(Diagnostic(.warning, "pages_not_as_asked", "n=\(n): \(shortfall)"))
        }
        for result in results() ?? [] {
            if let mismatch = result.vectorIdentityMismatch {
                note(Diagnostic(.error, "vector_identity", "\(result.id): \(mismatch)"))
            }
            if !shouldStop(), let cut = Self.budgetCut(result, configuration: configuration) {
                note(cut)
            }
        }
    }

    /// The warning for a case (native or Python) whose time budget cut its samples, if it was cut.
    static func budgetCut(_ result: CaseResult, configuration: SweepConfiguration) -> Diagnostic? {
        guard !result.samplesNs.isEmpty && result.samplesNs.count < result.samplesRequested else { return nil }
        return Diagnostic(
            .warning, "fewer_samples",
            "\(result.id): \(result.samplesNs.count) of \(result.samplesRequested) "
                + "samples (the case's \(configuration.caseBudgetSeconds) s budget ran out)")
    }

    /// Takes the first measurer's cases as the size's, and notes those whose output differed.
    private func adopt(_ cases: [CaseResult]) {
        templates = cases
        gathered = cases.map { CaseSamples(iterationsPerSample: $0.iterationsPerSample, samplesRequested: configuration.samples) }
        used = Array(repeating: CaseUsage(), count: cases.count)
        budget = SamplingBudget(cases: cases.count, budgetNs: configuration.caseBudgetSeconds * 1e9)
        for c in cases where !c.verified {
            note(Diagnostic(.error, "verification_failed", "\(c.id): output differs from scalar: \(c.verificationError ?? "?")"))
        }
    }

    /// The iterations per sample of the cases the first measuring process verified, by id (nil
    /// before it): the later processes take those cases as they are (`WorkerSetup.verifiedIterations`).
    private var verifiedIterations: [String: Int]? {
        templates.map { cases in Dictionary(uniqueKeysWithValues: cases.filter(\.verified).map { ($0.id, $0.iterationsPerSample) }) }
    }

    /// Why the system cannot hold a measuring process of this size now — its peak
    /// (`SweepConfiguration.peakBytes(n:caches:)`) above the memory available — or nil when it can
    /// or when either is unknown. A process started anyway would be ended by the kernel's
    /// out-of-memory killer part-way, after seconds of filling its buffers.
    private func memoryShortfall() -> String? {
        guard let needed = configuration.peakBytes(n: n, caches: CacheTopology.read()), let available = availableMemory(),
            needed > available.bytes
        else { return nil }
        return "it would hold up to \(Format.bytes(needed)) (\(SweepConfiguration.peakContents)), "
            + "and \(Format.bytes(available.bytes)) are available (\(available.limit.rawValue))"
    }

    /// A measurer for the next pass: this process, or a fresh worker.
    private func start(counters: CounterSource?, local: Bool, probeFloorNs: Double?) throws(MeasuringFailure) -> any MeasuringProcess {
        let events = counters?.events.filter(\.available).map(\.name) ?? []
        let setup = WorkerSetup(
            configuration, sizes: [n], only: configuration.python == .only ? ["native/into/auto/*"] : nil, probeFloorNs: probeFloorNs,
            counterEvents: events.isEmpty ? nil : events, verifiedIterations: verifiedIterations)
        if let startMeasurer {
            return try startMeasurer(setup, counters)
        }
        if local {
            return try LocalMeasuringProcess(setup: setup, counters: counters, shouldStop: shouldStop)
        }
        return try WorkerMeasuringProcess(
            executable: configuration.workerExecutable!, launchPath: configuration.workerLaunchPath, setup: setup,
            shouldStop: shouldStop)
    }
}
