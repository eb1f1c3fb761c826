import BenchModel
import Foundation
import JSA
import Measurement
import SystemIO

/// Why a measuring process could not go on: its worker failed, stopped answering, or the run was
/// stopped (Ctrl-C, SIGTERM).
public struct MeasuringFailure: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The worker is of another kind (no sampling worker, another protocol): it cannot take part.
        case unfit
        case failed
        case stopped
        /// The measuring processes offer nothing that could be compared (every case left out, or
        /// unverified).
        case nothingToCompare
    }

    public let kind: Kind
    public let description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }
}

/// The cases of one measuring process — built, verified, calibrated and warmed up — sampled on
/// request. A sweep spreads each size's rounds over several measuring processes (fresh ones), because
/// where a process's buffers land biases what it measures; the gate's A/B way runs two builds'
/// measuring processes side by side.
protocol MeasuringProcess: AnyObject {
    /// The cases by index, as results templates: identity, byte model, verification (unverified
    /// cases are never sampled) and calibrated iterations per sample.
    var cases: [CaseResult] { get }
    /// `release` or `debug`.
    var buildConfiguration: String { get }
    /// The epochs each sample's calls are timed in, at most (1: whole samples).
    var epochsPerSample: Int { get }
    /// How much of each size's buffers lie in huge pages in this process; nil where it does not
    /// say (a worker of a build before `--pages`).
    var pageBacking: [SizePageBacking]? { get }
    /// One sample of each case in `indices`, in the sampler's order for `round`; returned in the
    /// order of `indices`.
    func round(_ round: Int, cases indices: [Int]) throws(MeasuringFailure) -> [TimedSample]
    /// One sample of case `index`.
    func sample(_ index: Int) throws(MeasuringFailure) -> TimedSample
    /// What each case's samples used so far: getrusage, calls, hardware counters.
    func usage() throws(MeasuringFailure) -> MeasuringUsage
    /// Ends the measuring (a worker process exits).
    func stop()
}

extension MeasuringProcess {
    var pageBacking: [SizePageBacking]? { nil }
}

/// What a measuring process's samples of each case used, by case index.
struct MeasuringUsage {
    /// getrusage totals over the case's timed samples.
    var usage: [ResourceUsage]
    /// The calls those samples made.
    var calls: [Int]
    /// The hardware counters' readings summed over those samples; nil where the process counted
    /// none, and nil for a case it did not count.
    var counters: [CounterAccumulator?]?
}

/// Measuring in this process: the sweep's cases at the setup's sizes, sampled by this process's
/// `InterleavedSampler`. The sampling worker serves one of these (counting hardware events around
/// its own samples where the setup names them); a sweep without a worker executable samples one
/// directly.
final class LocalMeasuringProcess: MeasuringProcess {
    private(set) var cases: [CaseResult]
    let buildConfiguration = Environment.thisBuild
    /// The cases themselves (they hold the buffers their bodies point into), by index.
    private let built: [SweepCase]
    /// The sizes' workloads, each once, in the order of `built`.
    private let workloads: [Workload]
    private let timed: [TimedCase]
    private let sampler: InterleavedSampler<MonotonicClock>
    private let counters: CounterSource?
    private var accumulators: [CounterAccumulator?]
    private var usageTotals: [ResourceUsage]
    private var calls: [Int]

    /// Builds, verifies (`note` hears of failures and skipped batches), calibrates and warms up
    /// the cases of `setup` — those of `setup.verifiedIterations` taken as an earlier process
    /// verified and calibrated them; `counters`, when given, counts around every sample.
    /// - Throws: `MeasuringFailure` (`failed`) when the system will not map a size's buffers.
    init(
        setup: WorkerSetup, counters: CounterSource? = nil, shouldStop: () -> Bool = { false },
        note: (Diagnostic) -> Void = { _ in }
    ) throws(MeasuringFailure) {
        let configuration = setup.configuration
        let caches = CacheTopology.read()
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var built: [SweepCase] = []
        for n in setup.sizes where n >= configuration.period {
            let factory: SweepCaseFactory
            do {
                factory = try SweepCaseFactory(configuration: configuration, n: n, caches: caches, threads: threads, note: note)
            } catch {
                throw MeasuringFailure(kind: .failed, description: error.description)
            }
            for var c in factory.cases() where setup.includes(c.result.id) {
                if shouldStop() { break }
                if let iterations = setup.verifiedIterations?[c.result.id] {
                    c.result.verified = true
                    c.result.iterationsPerSample = iterations
                    built.append(c)
                    continue
                }
                let problem = c.verify()
                c.result.verified = problem == nil
                c.result.verificationError = problem
                if let problem {
                    note(Diagnostic(.error, "verification_failed", "\(c.result.id): output differs from scalar: \(problem)"))
                }
                built.append(c)
            }
        }
        let evictor = setup.cold ? CacheEvictor(bytes: CacheEvictor.bytes(toEvict: caches)) : nil
        let clock = MonotonicClock()
        let plan = SamplingPlan(
            samples: 1, minimumSampleNs: setup.minimumSampleMs * 1e6, warmupSamples: setup.warmupSamples,
            singleCallSamples: setup.cold, epochsPerSample: setup.epochs, fastLevelWait: setup.fastLevelWait)
        let sampler = InterleavedSampler(clock: clock, profile: ClockProfile.measure(clock), plan: plan, probeFloorNs: setup.probeFloorNs)
        let timed = built.map { c in
            TimedCase(
                id: c.result.id, beforeSample: evictor.map { e in { e.evict() } },
                warmable: CacheTopology.Level(rawValue: c.result.level) != .dram, body: c.body)
        }
        let verified = built.indices.filter { built[$0].result.verified }
        var iterations = built.map(\.result.iterationsPerSample)
        let uncalibrated = verified.filter { setup.verifiedIterations?[built[$0].result.id] == nil }
        let calibrated = sampler.calibrate(uncalibrated.map { timed[$0] }, calledBefore: true, shouldStop: shouldStop)  // by verify()
        for (k, index) in uncalibrated.enumerated() { iterations[index] = calibrated[k] }
        sampler.warmUp(verified.map { timed[$0] }, iterations: verified.map { iterations[$0] }, shouldStop: shouldStop)
        self.sampler = sampler
        self.timed = timed
        self.built = built
        var seen = Set<ObjectIdentifier>()
        workloads = built.map(\.buffers).filter { seen.insert(ObjectIdentifier($0)).inserted }
        self.cases = built.indices.map { i in
            var result = built[i].result
            result.iterationsPerSample = iterations[i]
            return result
        }
        let counted = counters?.events.filter(\.available).map(\.name) ?? []
        self.counters = counted.isEmpty ? nil : counters
        accumulators = built.map { _ in counted.isEmpty ? nil : CounterAccumulator(names: counted) }
        usageTotals = Array(repeating: ResourceUsage(), count: built.count)
        calls = Array(repeating: 0, count: built.count)
    }

    /// Moves every size's buffers to their next placement and samples each case in `indices` once
    /// on it, so that the round's cases share one draw of pages.
    func round(_ round: Int, cases indices: [Int]) throws(MeasuringFailure) -> [TimedSample] {
        try nextPlacements()
        var samples = [TimedSample](repeating: TimedSample(ns: .nan, probeNs: nil), count: indices.count)
        for position in InterleavedSampler<MonotonicClock>.order(round: round, count: indices.count) {
            samples[position] = try take(indices[position])
        }
        return samples
    }

    /// Moves every size's buffers to their next placement and samples case `index` on it.
    func sample(_ index: Int) throws(MeasuringFailure) -> TimedSample {
        try nextPlacements()
        return try take(index)
    }

    /// `Workload.nextPlacement()` for every size (each workload once: its cases share it).
    private func nextPlacements() throws(MeasuringFailure) {
        for workload in workloads {
            do {
                try workload.nextPlacement()
            } catch {
                throw MeasuringFailure(kind: .failed, description: error.description)
            }
        }
    }

    /// One timed sample of case `index`, on the placement its buffers lie on now.
    private func take(_ index: Int) throws(MeasuringFailure) -> TimedSample {
        guard cases.indices.contains(index), cases[index].verified else {
            throw MeasuringFailure(kind: .failed, description: "no verified case \(index) to sample")
        }
        let before = ResourceUsage.now()
        let taken = sampler.sample(timed[index], iterations: cases[index].iterationsPerSample, counters: counters)
        usageTotals[index] = usageTotals[index] + (ResourceUsage.now() - before)
        if let counters {
            accumulators[index]?.add(counters.stop())
        }
        calls[index] += cases[index].iterationsPerSample
        return taken
    }

    func usage() -> MeasuringUsage {
        MeasuringUsage(usage: usageTotals, calls: calls, counters: counters == nil ? nil : accumulators)
    }

    func stop() {}

    var epochsPerSample: Int { sampler.plan.epochsPerSample }

    /// Each size's page backing, as its workload read it when it was made (computed when asked, so
    /// that nothing this adds stays in the heap while the allocating cases are timed).
    var pageBacking: [SizePageBacking]? {
        var backing: [SizePageBacking] = []
        for c in built where backing.last?.n != c.buffers.n {
            if let measured = c.buffers.backing {
                backing.append(SizePageBacking(n: c.buffers.n, backing: measured, placements: c.buffers.placements))
            }
        }
        return backing
    }

    /// Answers one request (the sampling worker's loop).
    func reply(to request: WorkerRequest) -> WorkerReply {
        do {
            switch request {
            case .round(let round, let indices):
                return WorkerReply(samples: try self.round(round, cases: indices))
            case .sample(let index):
                return WorkerReply(samples: [try sample(index)])
            case .usage:
                let usage = self.usage()
                return WorkerReply(usage: usage.usage, calls: usage.calls, counters: usage.counters)
            }
        } catch {
            return WorkerReply(error: error.description)
        }
    }

    /// The hello a worker sends once its cases are ready.
    var hello: WorkerReply {
        WorkerReply(
            protocolVersion: WorkerProtocol.version, buildConfiguration: buildConfiguration, cases: cases,
            epochsPerSample: epochsPerSample, kernelVariants: (try? CPUFeatures.current()).map(KernelVariants.here),
            pageBacking: pageBacking)
    }
}

/// Measuring in a fresh `jsa-bench sampling-worker` process of some build of jsa-bench.
final class WorkerMeasuringProcess: MeasuringProcess {
    let executable: String
    let cases: [CaseResult]
    let buildConfiguration: String
    let epochsPerSample: Int
    /// The variants its SIMD kernels run (nil from a build that does not say).
    let kernelVariants: KernelVariants?
    let pageBacking: [SizePageBacking]?
    private let child: ChildProcess
    private let shouldStop: () -> Bool
    /// How long an answer may take, by the samples it needs.
    private let timeout: AnswerTimeout

    /// Starts `executable sampling-worker` (from `launchPath`, a copy of it, where given) with
    /// `environment`'s changes to this process's environment (and `_` removed unless it sets it),
    /// sends `setup` and waits for its hello. Answers may take `answerBaseSeconds` plus the time
    /// their samples need (`AnswerTimeout`). Messages name `executable`.
    /// - Throws: `MeasuringFailure` — `unfit` when the program is no sampling worker of this protocol.
    init(
        executable: String, launchPath: String? = nil, environment: [String: String?] = [:], setup: WorkerSetup,
        answerBaseSeconds: Double = AnswerTimeout.configuredBaseSeconds, shouldStop: @escaping () -> Bool
    ) throws(MeasuringFailure) {
        self.executable = executable
        self.shouldStop = shouldStop
        timeout = AnswerTimeout(baseSeconds: answerBaseSeconds, minimumSampleMs: setup.minimumSampleMs, fastLevelWait: setup.fastLevelWait)
        // Without the shell's `_` (the path this process was started by), whose length, like the
        // executable's own path, would move the worker's heap layout.
        var environment = environment
        if environment["_"] == nil { environment.updateValue(nil, forKey: "_") }
        do {
            child = try ChildProcess(
                executable: launchPath ?? executable, arguments: [SamplingWorker.commandName], environment: environment)
        } catch {
            throw MeasuringFailure(kind: .failed, description: error.description)
        }
        let setupLine = String(decoding: (try? JSONEncoder().encode(setup)) ?? Data(), as: UTF8.self)
        try? child.send(setupLine)  // a program that does not read its input answers (or exits) below
        let hello = try Self.reply(
            from: child, executable: executable, timeout: timeout.seconds(samples: setup.helloSamples), shouldStop: shouldStop,
            greeting: true)
        if hello.protocolVersion == WorkerProtocol.version, let error = hello.error {
            child.terminate()
            throw MeasuringFailure(kind: .failed, description: "\(executable) sampling-worker could not start measuring: \(error)")
        }
        guard hello.protocolVersion == WorkerProtocol.version, let cases = hello.cases else {
            child.terminate()
            throw MeasuringFailure(
                kind: .unfit,
                description: "\(executable) sampling-worker speaks another protocol "
                    + "('\(hello.protocolVersion ?? "none")'; this build speaks \(WorkerProtocol.version))")
        }
        self.cases = cases
        buildConfiguration = hello.buildConfiguration ?? "unknown"
        epochsPerSample = hello.epochsPerSample ?? 1
        kernelVariants = hello.kernelVariants
        pageBacking = hello.pageBacking
    }

    deinit {
        stop()
    }

    func round(_ round: Int, cases indices: [Int]) throws(MeasuringFailure) -> [TimedSample] {
        let samples = try request(.round(round, cases: indices), samples: indices.count).samples ?? []
        guard samples.count == indices.count else {
            throw MeasuringFailure(
                kind: .failed, description: "\(executable) sampling-worker sent \(samples.count) samples for \(indices.count) cases")
        }
        return samples
    }

    func sample(_ index: Int) throws(MeasuringFailure) -> TimedSample {
        guard let sample = try request(.sample(index), samples: 1).samples?.first else {
            throw MeasuringFailure(kind: .failed, description: "\(executable) sampling-worker sent no sample")
        }
        return sample
    }

    func usage() throws(MeasuringFailure) -> MeasuringUsage {
        let reply = try request(.usage, samples: 0)
        guard let usage = reply.usage, let calls = reply.calls, usage.count == cases.count, calls.count == cases.count,
            reply.counters.map({ $0.count == cases.count }) ?? true
        else {
            throw MeasuringFailure(kind: .failed, description: "\(executable) sampling-worker sent no usage")
        }
        return MeasuringUsage(usage: usage, calls: calls, counters: reply.counters)
    }

    /// Closes the worker's input (it exits at its end) and reaps it; one that does not exit is terminated.
    func stop() {
        child.closeInput()
        if child.wait(timeout: 2) == nil { child.terminate() }
    }

    /// Sends `request` and waits for its reply, which takes `samples` samples.
    private func request(_ request: WorkerRequest, samples: Int) throws(MeasuringFailure) -> WorkerReply {
        let line = String(decoding: (try? JSONEncoder().encode(request)) ?? Data(), as: UTF8.self)
        do {
            try child.send(line)
        } catch {
            throw MeasuringFailure(kind: .failed, description: "\(executable) sampling-worker stopped reading: \(error)")
        }
        let reply = try Self.reply(
            from: child, executable: executable, timeout: timeout.seconds(samples: samples), shouldStop: shouldStop, greeting: false)
        if let error = reply.error {
            throw MeasuringFailure(kind: .failed, description: "\(executable) sampling-worker: \(error)")
        }
        return reply
    }

    /// The next reply line. A greeting that never comes means the program is no worker of ours.
    private static func reply(
        from child: ChildProcess, executable: String, timeout: Double, shouldStop: () -> Bool,
        greeting: Bool
    ) throws(MeasuringFailure) -> WorkerReply {
        let line: String?
        do {
            line = try child.readLine(timeout: timeout, stoppingWhen: shouldStop)
        } catch {
            child.terminate()
            switch error.kind {
            case .stopped: throw MeasuringFailure(kind: .stopped, description: "stopped while \(executable) sampling-worker was measuring")
            default:
                throw MeasuringFailure(
                    kind: .failed,
                    description: "\(executable) sampling-worker did not answer within \(Format.duration(timeout * 1e9)); it was terminated")
            }
        }
        guard let line else {
            let termination = child.wait(timeout: 2)
            let ended = child.ending.map { " (it \($0))" } ?? ""
            // A crash says why in the runtime's "Fatal error" line; its last line ends the backtrace.
            let fatal = child.standardError.split(separator: "\n").last { $0.contains("Fatal error") }.map(String.init)
            let reason = (fatal ?? child.lastErrorLine).map { ": \($0)" } ?? ""
            // A program without this build's sampling worker exits (a usage error) and cannot take
            // part; one killed by a signal before its hello is this build's worker, and it crashed.
            var crashed = false
            if case .signalled = termination { crashed = true }
            throw MeasuringFailure(
                kind: greeting && !crashed ? .unfit : .failed,
                description: greeting && !crashed
                    ? "\(executable) sampling-worker ended without starting\(ended)\(reason) (a jsa-bench without this build's sampling worker cannot take part)"
                    : "\(executable) sampling-worker ended\(greeting ? " before its first reply" : "")\(ended)\(reason)")
        }
        guard let reply = try? JSONDecoder().decode(WorkerReply.self, from: Data(line.utf8)) else {
            child.terminate()
            throw MeasuringFailure(
                kind: greeting ? .unfit : .failed,
                description: "\(executable) sampling-worker answered '\(line.prefix(80))', not \(WorkerProtocol.version)")
        }
        return reply
    }
}
