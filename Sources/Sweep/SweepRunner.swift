import Analysis
import BenchModel
import Foundation
import JSA
import JSAConformance
import Measurement
import Results
import Statistics

/// What a running sweep tells its caller: progress for a progress bar, and diagnostics as they arise.
public struct SweepObserver {
    /// Step `step` of `steps` (a pass over one size), its size, and the fraction of the step done.
    public var progress: (_ step: Int, _ steps: Int, _ n: Int, _ fraction: Double) -> Void
    public var diagnostic: (Diagnostic) -> Void

    public init(
        progress: @escaping (Int, Int, Int, Double) -> Void = { _, _, _, _ in },
        diagnostic: @escaping (Diagnostic) -> Void = { _ in }
    ) {
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

    public init(
        configuration: SweepConfiguration, commandLine: [String], outputPath: String?,
        shouldStop: @escaping () -> Bool = { Interruption.requested }
    ) {
        self.configuration = configuration
        self.commandLine = commandLine
        self.outputPath = outputPath
        self.shouldStop = shouldStop
    }

    /// Measures everything; returns the document that was (also) written to `outputPath`.
    /// - Throws: only when the results file cannot be written.
    public func run(observer: SweepObserver = SweepObserver()) throws -> ResultsDocument {
        // The cap was validated before the run (78 otherwise).
        let environment = (try? CPUFeatures.current()).map { Environment.capture(kernelFeatures: $0) } ?? Environment.capture()
        let clock = MonotonicClock()
        let profile = ClockProfile.measure(clock)
        let git = GitRevision.ofExecutable()
        var document = ResultsDocument(
            run: RunInfo(
                commandLine: commandLine, startedAt: RunInfo.timestamp(), gitCommit: git?.commit, gitDirty: git?.dirty,
                buildConfiguration: environment.buildConfiguration, preset: configuration.preset?.rawValue,
                sizes: configuration.sizes, kernels: configuration.kernels.map(\.rawValue), period: configuration.period,
                batchPeriods: Array(configuration.batchPeriods), samples: configuration.samples,
                minSampleMs: configuration.minimumSampleMs, cold: configuration.cold, seed: configuration.seed),
            environment: environment, clock: profile, byteModel: SweepCaseFactory.byteModel)
        document.run.epochsPerSample = configuration.epochsPerSample
        document.run.fastLevelWaitBudget = configuration.fastLevelWait?.budgetRatio
        document.run.runLevel = configuration.runLevel
        document.run.pages = configuration.pages
        document.run.placements = configuration.placements

        func note(_ diagnostic: Diagnostic) {
            document.diagnostics.append(diagnostic)
            observer.diagnostic(diagnostic)
        }
        TrustChecks.warnings(for: environment).forEach(note)
        note(
            Diagnostic(
                .info, "stream_add_isa",
                "STREAM add and the copy loop run their \(ReferenceKernels.streamAddISA) clones (the machine's widest)"))
        if configuration.cold {
            note(
                Diagnostic(
                    .info, "cold_mode",
                    "cold mode: every sample is one call made after evicting the caches; samples shorter than "
                        + "1000 × the clock resolution are noisy by construction"))
        }

        let cpuTimeAtStart = CPUTimeShares.now()
        let counters = try counterSource()
        let processes = configuration.effectiveProcesses
        note(
            Diagnostic(
                .info, "processes",
                configuration.measuresInThisProcess
                    ? "each size is measured in this process"
                    : processes == 1
                        ? "each size is measured in a fresh measuring process"
                        : "each size's \(configuration.samples) rounds are spread over \(processes) fresh measuring processes"))
        if let counters {
            let report = CounterReport(events: counters.events, papi: PAPILibrary.inventory())
            document.counters = report
            note(Diagnostic(report.events.allSatisfy(\.available) ? .info : .warning, "counters", report.summaryLine))
        }

        // The first pass's helper starts now, so that a missing Python is said before anything is
        // measured; each later pass starts a fresh one.
        var firstHelper: PythonHelper?
        if configuration.python != .off {
            do {
                firstHelper = try PythonHelper(pages: configuration.pages, shouldStop: shouldStop)
                document.python = PythonReport(python: nil, numpy: nil, executable: nil, unavailableReason: nil)
            } catch {
                note(Diagnostic(.warning, "python_unavailable", "no Python ladder: \(error)"))
                document.python = PythonReport(python: nil, numpy: nil, executable: nil, unavailableReason: error.description)
            }
        }

        for n in configuration.sizes where n < configuration.period {
            note(Diagnostic(.info, "size_skipped", "n=\(n) skipped: shorter than the period \(configuration.period)"))
        }
        let samplings = configuration.sizes.filter { $0 >= configuration.period }.map { n in
            SizeSampling(configuration: configuration, n: n, shouldStop: shouldStop, note: note)
        }
        let ladders = firstHelper == nil ? [] : samplings.map { PythonSampling(configuration: configuration, n: $0.n) }
        var unverifiedLadders: Set<Int> = []
        var wallTime = WallTime(clock: clock)
        /// The raw samples so far, on disk (a reader analyses a document that has no analysis yet).
        /// A checkpoint that cannot be written (a full disk, a folder gone) is said once, and the
        /// measuring goes on: everything stays in memory for the final write.
        var checkpointFailed = false
        func checkpoint() {
            document.cases = samplings.flatMap { $0.results() ?? [] } + ladders.flatMap(\.cases)
            document.analysis = nil
            guard let outputPath else { return }
            do {
                try ResultsFile.write(document, to: outputPath)
            } catch  where !checkpointFailed {
                checkpointFailed = true
                note(Diagnostic(.warning, "checkpoint_failed", "\(error); the run goes on and writes its results at the end"))
            } catch {}
        }
        /// Share `share` of the Python ladder's `shares` at every size whose native cases were built,
        /// in `helper`.
        func ladderPass(_ share: Int, of shares: Int, helper: PythonHelper) throws {
            for (sampling, ladder) in zip(samplings, ladders) where sampling.templates != nil && !shouldStop() {
                guard let request = ladder.request(pass: share, of: shares) else { continue }
                do {
                    let result = try wallTime.measure("python") { try helper.ladder(request) }
                    ladder.add(result, for: request, process: share)
                    document.python?.python = result.python
                    document.python?.numpy = result.numpy
                    document.python?.executable = result.executable
                    if !result.verified && unverifiedLadders.insert(sampling.n).inserted {
                        note(
                            Diagnostic(
                                .error, "verification_failed",
                                "python n=\(sampling.n): jsa_native.jsa differs from the NumPy reference"))
                    }
                } catch  where !shouldStop() {
                    note(Diagnostic(.warning, "python_failed", "python ladder at n=\(sampling.n), helper \(share + 1): \(error)"))
                } catch {
                    // Stopped: the "interrupted" warning below says so; this size keeps what it has.
                }
                checkpoint()
            }
        }
        passes: for pass in 0..<processes {
            for (index, sampling) in samplings.enumerated() {
                if shouldStop() { break passes }
                let step = pass * samplings.count + index
                wallTime.measure(sampling.wallTimePhase) {
                    let floor = samplings.compactMap(\.lowestProbeNs).min()
                    sampling.pass(pass, of: processes, counters: counters, probeFloorNs: floor) { fraction in
                        observer.progress(step, processes * samplings.count, sampling.n, fraction)
                    }
                }
                checkpoint()
            }
            guard !ladders.isEmpty else { continue }
            let helpers = max(1, configuration.ladderHelpersPerPass)
            for share in pass * helpers..<(pass + 1) * helpers where !shouldStop() {
                let helper: PythonHelper
                if let first = firstHelper {
                    helper = first
                } else {
                    do {
                        helper = try wallTime.measure("python") { try PythonHelper(pages: configuration.pages, shouldStop: shouldStop) }
                    } catch  where !shouldStop() {
                        note(Diagnostic(.warning, "python_failed", "Python helper \(share + 1): \(error)"))
                        continue
                    } catch {
                        break passes
                    }
                }
                firstHelper = nil
                try ladderPass(share, of: processes * helpers, helper: helper)
            }
        }
        samplings.forEach { $0.noteOutcome() }
        for sampling in samplings {
            wallTime.add(sampling.setupSeconds, toPart: "setup", of: sampling.wallTimePhase)
            wallTime.add(sampling.waitedSeconds, toPart: "waits for the fast level", of: sampling.wallTimePhase)
        }
        if !shouldStop() {
            ladders.flatMap(\.cases).compactMap { SizeSampling.budgetCut($0, configuration: configuration) }.forEach(note)
        }
        if let executable = configuration.callgrindExecutable, !shouldStop() {
            do {
                let counts = try wallTime.measure(configuration.cacheSimulation ? "cache simulation" : "callgrind") {
                    try CallgrindPass.run(configuration: configuration, executable: executable, shouldStop: shouldStop)
                }
                for c in document.cases.indices {
                    document.cases[c].instructions = counts.instructions[document.cases[c].id]
                    document.cases[c].simulated = counts.simulated[document.cases[c].id]
                }
                document.cacheSimulation = counts.simulation
                Self.callgrindDiagnostics(counts).forEach(note)
            } catch  where !shouldStop() {
                note(Diagnostic(.warning, "callgrind_failed", "no instruction counts: \(error)"))
            } catch {
                // Stopped: the "interrupted" warning below says so; the native cases are all kept.
            }
        }
        if let start = cpuTimeAtStart, let steal = CPUTimeShares.now()?.stealFraction(since: start) {
            let percent = String(format: "%.1f", 100 * steal)
            note(
                steal > 0.01
                    ? Diagnostic(
                        .warning, "steal_time",
                        "the hypervisor stole \(percent)% of CPU time during the run: timings include waits for the host")
                    : Diagnostic(.info, "steal_time", "steal time during the run: \(percent)% of CPU time"))
        }
        note(Diagnostic(.info, "wall_time", wallTime.summary))
        document.complete = !shouldStop()
        if !document.complete {
            note(Diagnostic(.warning, "interrupted", "interrupted: the results hold the cases measured before the stop"))
        }
        for n in document.unmeasuredSizes {
            note(
                Diagnostic(.error, "size_unmeasured", "n=\(n): no samples: no measuring process ran for this size (the failures are above)")
            )
        }
        document.run.endedAt = RunInfo.timestamp()
        Analysis.analyze(&document)
        for line in (document.analysis?.memoryLevels ?? []).compactMap(\.note) {
            note(Diagnostic(.warning, "memory_level", line))
        }
        for line in ProcessApart.notes(document.analysis?.processesApart ?? []) {
            note(Diagnostic(.warning, "process_apart", line))
        }
        if let outputPath {
            do {
                try ResultsFile.write(document, to: outputPath)
            } catch {
                throw ResultsNotWritten(document: document, reason: "\(error)")
            }
        }
        return document
    }

    /// What the callgrind pass counted, and why some cases were not measurable.
    static func callgrindDiagnostics(_ counts: CallgrindPass.Counts) -> [Diagnostic] {
        let measured = counts.instructions.values.filter { $0.perCall != nil }.count
        var diagnostics = [
            Diagnostic(
                .info, "callgrind",
                "callgrind counted \(measured) of \(counts.instructions.count) native cases "
                    + "(\(CallgrindPass.callsPerCase) calls each, 1 above \(CallgrindPass.singleCallElements) elements; collection on only around the calls)"
            )
        ]
        if let simulation = counts.simulation {
            let g = simulation.geometry
            diagnostics.append(
                Diagnostic(
                    .info, "cache_simulation",
                    "simulated caches (\(simulation.geometrySource == "host" ? "valgrind's reading of this CPU" : "as set")): "
                        + "I1 \(g.i1), D1 \(g.d1), LL \(g.ll); \(simulation.cold ? "evicted before" : "warmed by one call before") "
                        + "the counted calls; estimated cycles = \(simulation.estimatedCyclesFormula)"))
        }
        return diagnostics
            + Set(counts.instructions.values.compactMap(\.unavailableReason)).sorted().map {
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
}
