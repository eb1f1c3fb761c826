import Foundation
import JSA
import JSAConformance
import Measurement
import Results

/// What a running sweep tells its caller: progress for a progress bar, and diagnostics as they arise.
public struct SweepObserver {
    /// `sizeIndex` of `sizeCount`, the size, and the fraction of its samples taken.
    public var progress: (_ sizeIndex: Int, _ sizeCount: Int, _ n: Int, _ fraction: Double) -> Void
    public var diagnostic: (Diagnostic) -> Void

    public init(progress: @escaping (Int, Int, Int, Double) -> Void = { _, _, _, _ in },
                diagnostic: @escaping (Diagnostic) -> Void = { _ in }) {
        self.progress = progress
        self.diagnostic = diagnostic
    }
}

/// Runs a sweep: per size, verify every case against scalar, then sample all verified cases
/// interleaved, summarize, and derive the comparisons; checkpoint the results file after each size.
public struct SweepRunner {
    public let configuration: SweepConfiguration
    public let commandLine: [String]
    /// Where results are written (checkpointed after every size), or nil to only return them.
    public let outputPath: String?
    /// Polled between samples; true stops the sweep with what was measured (`complete: false`).
    public let shouldStop: () -> Bool

    public init(configuration: SweepConfiguration, commandLine: [String], outputPath: String?,
                shouldStop: @escaping () -> Bool = { Interruption.requested }) {
        self.configuration = configuration
        self.commandLine = commandLine
        self.outputPath = outputPath
        self.shouldStop = shouldStop
    }

    /// Measures everything; returns the document that was (also) written to `outputPath`.
    /// - Throws: only when the results file cannot be written.
    public func run(observer: SweepObserver = SweepObserver()) throws -> ResultsDocument {
        let environment = Environment.capture()
        let clock = MonotonicClock()
        let profile = ClockProfile.measure(clock)
        let git = GitRevision.current()
        var document = ResultsDocument(
            run: RunInfo(
                commandLine: commandLine, startedAt: Self.timestamp(), gitCommit: git?.commit, gitDirty: git?.dirty,
                buildConfiguration: environment.buildConfiguration, preset: configuration.preset?.rawValue,
                sizes: configuration.sizes, kernels: configuration.kernels.map(\.rawValue), period: configuration.period,
                batchPeriods: Array(configuration.batchPeriods), samples: configuration.samples,
                minSampleMs: configuration.minimumSampleMs, cold: configuration.cold, seed: configuration.seed),
            environment: environment, clock: profile, byteModel: SweepCaseFactory.byteModel)

        func note(_ diagnostic: Diagnostic) {
            document.diagnostics.append(diagnostic)
            observer.diagnostic(diagnostic)
        }
        TrustChecks.warnings(for: environment).forEach(note)
        note(Diagnostic(.info, "stream_add_isa", "STREAM add runs its \(ReferenceKernels.streamAddISA) clone (the machine's widest)"))
        if configuration.cold {
            note(Diagnostic(.info, "cold_mode",
                "cold mode: every sample is one call made after evicting the caches; samples shorter than "
                    + "1000 × the clock resolution are noisy by construction"))
        }

        let cpuTimeAtStart = CPUTimeShares.now()
        let evictor = configuration.cold
            ? CacheEvictor(bytes: max(2 * (environment.caches.l3Bytes ?? 32 << 20), 64 << 20)) : nil
        let plan = SamplingPlan(
            samples: configuration.samples, minimumSampleNs: configuration.minimumSampleMs * 1e6,
            singleCallSamples: configuration.cold, caseBudgetNs: configuration.caseBudgetSeconds * 1e9)
        let sampler = InterleavedSampler(clock: clock, profile: profile, plan: plan)
        let counters = try counterSource()
        if let counters {
            let report = CounterReport(events: counters.events, papi: PAPILibrary.inventory())
            document.counters = report
            note(Diagnostic(report.events.allSatisfy(\.available) ? .info : .warning, "counters", report.summaryLine))
        }

        var python: PythonHelper?
        if configuration.python != .off {
            do {
                python = try PythonHelper(shouldStop: shouldStop)
                document.python = PythonReport(python: nil, numpy: nil, executable: nil, unavailableReason: nil)
            } catch {
                note(Diagnostic(.warning, "python_unavailable", "no Python ladder: \(error)"))
                document.python = PythonReport(python: nil, numpy: nil, executable: nil, unavailableReason: error.description)
            }
        }

        for (index, n) in configuration.sizes.enumerated() {
            if shouldStop() { break }
            guard n >= configuration.period else {
                note(Diagnostic(.info, "size_skipped", "n=\(n) skipped: shorter than the period \(configuration.period)"))
                continue
            }
            let measured = measureSize(
                n, progress: { fraction in observer.progress(index, configuration.sizes.count, n, fraction) },
                caches: environment.caches, threads: environment.logicalCPUs, sampler: sampler, counters: counters,
                evictor: evictor, note: note)
            guard var measured else { break }
            if let python, !shouldStop() {
                do {
                    let ladder = try python.ladder(PythonPass.request(n: n, configuration: configuration))
                    measured += ladder.cases
                    document.python?.python = ladder.python
                    document.python?.numpy = ladder.numpy
                    document.python?.executable = ladder.executable
                    if let summary = PythonPass.summarize(ladder.cases, n: n) {
                        document.python?.sizes.append(summary)
                    }
                    if !ladder.verified {
                        note(Diagnostic(.error, "verification_failed", "python n=\(n): jsa_native.jsa differs from the NumPy reference"))
                    }
                } catch where !shouldStop() {
                    note(Diagnostic(.warning, "python_failed", "python ladder at n=\(n): \(error)"))
                } catch {
                    // Stopped: the "interrupted" warning below says so; this size keeps its native cases.
                }
            }
            document.cases += measured
            if let outputPath {
                try ResultsFile.write(document, to: outputPath)
            }
        }
        if let sizes = document.python?.sizes {
            document.python?.overheadUnder5PercentFrom = PythonReport.overheadUnder5PercentFrom(sizes)
        }
        if let executable = configuration.callgrindExecutable, !shouldStop() {
            do {
                let counts = try CallgrindPass.run(configuration: configuration, executable: executable, shouldStop: shouldStop)
                for c in document.cases.indices {
                    document.cases[c].instructions = counts[document.cases[c].id]
                }
                Self.callgrindDiagnostics(counts).forEach(note)
            } catch where !shouldStop() {
                note(Diagnostic(.warning, "callgrind_failed", "no instruction counts: \(error)"))
            } catch {
                // Stopped: the "interrupted" warning below says so; the native cases are all kept.
            }
        }
        if let start = cpuTimeAtStart, let steal = CPUTimeShares.now()?.stealFraction(since: start) {
            let percent = String(format: "%.1f", 100 * steal)
            note(steal > 0.01
                ? Diagnostic(.warning, "steal_time", "the hypervisor stole \(percent)% of CPU time during the run: timings include waits for the host")
                : Diagnostic(.info, "steal_time", "steal time during the run: \(percent)% of CPU time"))
        }
        document.complete = !shouldStop()
        if !document.complete {
            note(Diagnostic(.warning, "interrupted", "interrupted: the results hold the cases measured before the stop"))
        }
        document.run.endedAt = Self.timestamp()
        if let outputPath {
            try ResultsFile.write(document, to: outputPath)
        }
        return document
    }

    /// Verifies, samples and summarizes every case of size `n`; nil when stopped before sampling.
    private func measureSize(
        _ n: Int, progress: @escaping (Double) -> Void, caches: CacheTopology, threads: Int,
        sampler: InterleavedSampler<MonotonicClock>, counters: CounterSource?, evictor: CacheEvictor?,
        note: (Diagnostic) -> Void
    ) -> [CaseResult]? {
        var cases = SweepCaseFactory(configuration: configuration, n: n, caches: caches, threads: threads, note: note).cases()
        if configuration.python == .only {
            cases = cases.filter { $0.result.family == "native" && $0.result.variant == "into" && $0.result.kernel == "auto" }
        }
        for c in cases.indices where !shouldStop() {
            let problem = cases[c].verify()
            cases[c].result.verified = problem == nil
            cases[c].result.verificationError = problem
            if let problem {
                note(Diagnostic(.error, "verification_failed", "\(cases[c].result.id): output differs from scalar: \(problem)"))
            }
        }
        if shouldStop() { return nil }
        let timed = cases.filter(\.result.verified)
        let samples = sampler.run(
            timed.map { TimedCase(id: $0.result.id, beforeSample: evictor.map { e in { e.evict() } }, body: $0.body) },
            counters: counters, shouldStop: shouldStop,
            progress: { done, total in progress(Double(done) / Double(total)) })
        var measured = cases.map(\.result)
        for (timedCase, sampled) in zip(timed, samples) {
            let c = measured.firstIndex { $0.id == timedCase.result.id }!
            record(sampled, into: &measured[c])
            if let mismatch = measured[c].vectorIdentityMismatch {
                note(Diagnostic(.error, "vector_identity", "\(measured[c].id): \(mismatch)"))
            }
            if !sampled.samplesNs.isEmpty && sampled.samplesNs.count < sampled.samplesRequested && !shouldStop() {
                note(Diagnostic(.warning, "fewer_samples",
                    "\(measured[c].id): \(sampled.samplesNs.count) of \(sampled.samplesRequested) samples "
                        + "(the case's \(configuration.caseBudgetSeconds) s budget ran out)"))
            }
        }
        Derivation.derive(&measured)
        return measured.filter { $0.stats != nil || !$0.verified }
    }

    /// Fills the samples, statistics and rates of one case.
    private func record(_ sampled: CaseSamples, into result: inout CaseResult) {
        result.iterationsPerSample = sampled.iterationsPerSample
        result.samplesNs = sampled.samplesNs
        result.samplesRequested = sampled.samplesRequested
        result.rusagePerCall = sampled.usagePerCall
        guard !sampled.samplesNs.isEmpty else { return }
        let stats = Statistics.summarize(sampled.samplesNs, seed: Statistics.seed(configuration.seed, for: result.id))
        result.stats = stats
        result.perElementNs = stats.medianNs / Double(result.n)
        result.gbps = Double(result.bytesPerCall) / stats.medianNs
        if let accumulator = sampled.counters {
            let counts = accumulator.finish(
                calls: sampled.calls, elements: result.n, bytesPerCall: result.bytesPerCall, nsPerCall: stats.medianNs)
            result.counters = counts
            if result.family == "native", let kernel = result.resolvedKernel, let mix = counts.derived.vectorMix {
                result.vectorIdentityMismatch = VectorIdentity.mismatch(kernel: kernel, mix: mix)
            }
        }
    }

    /// What the callgrind pass counted, and why some cases were not measurable.
    static func callgrindDiagnostics(_ counts: [String: InstructionCount]) -> [Diagnostic] {
        let measured = counts.values.filter { $0.perCall != nil }.count
        let summary = Diagnostic(.info, "callgrind", "callgrind counted \(measured) of \(counts.count) native cases "
            + "(\(CallgrindPass.callsPerCase) calls each, collection on only around the call)")
        return [summary] + Set(counts.values.compactMap(\.unavailableReason)).sorted().map {
            Diagnostic(.info, "callgrind_unavailable", $0)
        }
    }

    /// The PAPI event set for the requested counters, or nil when none were requested.
    /// - Throws: `PAPICounterSource.UnknownEvent` for an unknown explicit `--events` name.
    private func counterSource() throws -> PAPICounterSource? {
        let requested = configuration.requestedCounters
        guard !requested.isEmpty else { return nil }
        let strict = Set(configuration.counterEvents)
        // Group events that PAPI cannot resolve are recorded unavailable; explicit ones must resolve.
        if let unknown = PAPICounterSource.firstUnknown(Array(strict)) {
            throw unknown
        }
        return try PAPICounterSource(names: requested, strict: false)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
