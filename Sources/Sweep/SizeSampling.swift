import Foundation
import Measurement
import Results
import Statistics

/// The measuring of one size: its rounds spread over `configuration.effectiveProcesses` measuring
/// sessions, one after the other — fresh `sampling-worker` processes, or this process when there
/// is one — and what they sampled gathered into one result per case, each sample with its round,
/// its process and the speed index beside it.
struct SizeSampling {
    let configuration: SweepConfiguration
    let n: Int
    let shouldStop: () -> Bool
    let note: (Diagnostic) -> Void
    /// Told the fraction of the size's rounds done.
    let progress: (Double) -> Void

    /// How many of `rounds` rounds each of `processes` sessions takes (as even as can be).
    static func roundsPerProcess(_ rounds: Int, processes: Int) -> [Int] {
        (0..<processes).map { k in rounds / processes + (k < rounds % processes ? 1 : 0) }
    }

    /// Measures the size; nil when stopped before any case was built.
    /// - Parameter counters: counted around every sample (in this process only).
    func run(counters: CounterSource?) -> [CaseResult]? {
        let processes = configuration.effectiveProcesses
        let setup = WorkerSetup(configuration, sizes: [n],
                                only: configuration.python == .only ? ["native/into/auto/*"] : nil)
        _ = SweepCaseFactory.batchRows(configuration: configuration, n: n, note: note)  // says why a batch is skipped
        var templates: [CaseResult]?
        var gathered: [CaseSamples] = []
        var usage: [ResourceUsage] = []
        var budget = SamplingBudget(cases: 0, budgetNs: configuration.caseBudgetSeconds * 1e9)
        var round = 0
        for (process, share) in Self.roundsPerProcess(configuration.samples, processes: processes).enumerated() {
            if shouldStop() { break }
            let session: any MeasuringSession
            do {
                session = try start(setup: setup, counters: counters, local: processes == 1)
            } catch {
                if error.kind != .stopped {
                    note(Diagnostic(.warning, "process_failed", "n=\(n): measuring process \(process + 1) of \(processes) failed: \(error)"))
                }
                continue
            }
            defer { session.stop() }
            if templates == nil {
                templates = session.cases
                gathered = session.cases.map { CaseSamples(iterationsPerSample: $0.iterationsPerSample, samplesRequested: configuration.samples) }
                usage = Array(repeating: ResourceUsage(), count: session.cases.count)
                budget = SamplingBudget(cases: session.cases.count, budgetNs: configuration.caseBudgetSeconds * 1e9)
                reportVerification(session.cases)
            }
            guard session.cases.map(\.id) == templates!.map(\.id) else {
                note(Diagnostic(.warning, "process_failed", "n=\(n): measuring process \(process + 1) built other cases than the first"))
                continue
            }
            let verified = session.cases.indices.filter { session.cases[$0].verified }
            do {
                for _ in 0..<share {
                    if shouldStop() { break }
                    let indices = verified.filter { budget.allows($0, taken: gathered[$0].samplesNs.count) }
                    let samples = try session.round(round, cases: indices)
                    for (index, sample) in zip(indices, samples) {
                        let iterations = session.cases[index].iterationsPerSample
                        gathered[index].append(sample, round: round, process: process, iterations: iterations)
                        budget.spend(index, ns: sample.ns, iterations: iterations)
                    }
                    round += 1
                    progress(Double(round) / Double(configuration.samples))
                }
                let (totals, _) = try session.usage()
                for index in usage.indices { usage[index] = usage[index] + totals[index] }
            } catch where error.kind == .stopped {
                break
            } catch {
                note(Diagnostic(.warning, "process_failed", "n=\(n): measuring process \(process + 1) of \(processes): \(error); its samples so far are kept"))
            }
            if let local = session as? LocalSession {
                for index in gathered.indices { gathered[index].counters = local.counterReadings[index] }
            }
        }
        guard let templates else { return nil }
        return templates.indices.compactMap { index in
            var result = templates[index]
            let sampled = gathered[index]
            guard !sampled.samplesNs.isEmpty || !result.verified else { return nil }
            result.samplesNs = sampled.samplesNs
            result.sampleRounds = sampled.rounds
            result.sampleProcesses = sampled.processes
            result.probesNs = sampled.probesNs.contains(nil) ? nil : sampled.probesNs.compactMap { $0 }
            result.samplesRequested = sampled.samplesRequested
            result.iterationsPerSample = sampled.iterationsPerSample
            result.rusagePerCall = usage[index].perCall(sampled.calls)
            if !sampled.samplesNs.isEmpty, let accumulator = sampled.counters {
                let counts = accumulator.finish(calls: sampled.calls, elements: result.n, bytesPerCall: result.bytesPerCall,
                                                nsPerCall: Statistics.median(sampled.samplesNs))
                result.counters = counts
                if result.family == "native", let kernel = result.resolvedKernel, let mix = counts.derived.vectorMix {
                    result.vectorIdentityMismatch = VectorIdentity.mismatch(kernel: kernel, mix: mix)
                }
            }
            if let mismatch = result.vectorIdentityMismatch {
                note(Diagnostic(.error, "vector_identity", "\(result.id): \(mismatch)"))
            }
            if !sampled.samplesNs.isEmpty && sampled.samplesNs.count < sampled.samplesRequested && !shouldStop() {
                note(Diagnostic(.warning, "fewer_samples",
                    "\(result.id): \(sampled.samplesNs.count) of \(sampled.samplesRequested) samples "
                        + "(the case's \(configuration.caseBudgetSeconds) s budget ran out)"))
            }
            return result
        }
    }

    /// A session for the next process: this process, or a fresh worker.
    private func start(setup: WorkerSetup, counters: CounterSource?, local: Bool) throws(SessionFailure) -> any MeasuringSession {
        if local {
            return LocalSession(setup: setup, counters: counters, shouldStop: shouldStop, note: { _ in })
        }
        return try WorkerSession(executable: configuration.workerExecutable!, setup: setup, shouldStop: shouldStop)
    }

    /// Notes the cases whose output differed from scalar (the sessions verify before the hello).
    private func reportVerification(_ cases: [CaseResult]) {
        for c in cases where !c.verified {
            note(Diagnostic(.error, "verification_failed", "\(c.id): output differs from scalar: \(c.verificationError ?? "?")"))
        }
    }
}
