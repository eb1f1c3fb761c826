import BenchModel
import Foundation
import Measurement
import SystemIO
import Testing
@testable import Sweep

/// The events a sweep found available (this process counts nothing with them here).
private final class FoundEvents: CounterSource {
    let events: [CounterEvent]
    init(_ events: [CounterEvent]) { self.events = events }
    func start() {}
    func stop() -> [RawCount] { [] }
}

/// A measuring process with scripted answers: every sample 5 ns of `iterations` calls, after
/// `waitedNs` of waiting for the fast level; its report counts `cyclesPerSample` cycles for every
/// sample taken (nil: it counted nothing), or fails.
private final class ScriptedMeasuringProcess: MeasuringProcess {
    let cases: [CaseResult]
    let buildConfiguration = "release"
    let epochsPerSample = 1
    let pageBacking: [SizePageBacking]?
    private let cyclesPerSample: UInt64?
    private let failsItsReport: Bool
    private let waitedNs: Double?
    private var taken: [Int]

    init(
        cases: [CaseResult], cyclesPerSample: UInt64?, failsItsReport: Bool = false, pageBacking: [SizePageBacking]? = nil,
        waitedNs: Double? = nil
    ) {
        self.cases = cases
        self.cyclesPerSample = cyclesPerSample
        self.failsItsReport = failsItsReport
        self.pageBacking = pageBacking
        self.waitedNs = waitedNs
        taken = Array(repeating: 0, count: cases.count)
    }

    func round(_ round: Int, cases indices: [Int]) throws(MeasuringFailure) -> [TimedSample] {
        var samples: [TimedSample] = []
        for index in indices { samples.append(try sample(index)) }
        return samples
    }

    func sample(_ index: Int) throws(MeasuringFailure) -> TimedSample {
        taken[index] += 1
        return TimedSample(ns: 5, probeNs: nil, waitedNs: waitedNs)
    }

    func usage() throws(MeasuringFailure) -> MeasuringUsage {
        if failsItsReport { throw MeasuringFailure(kind: .failed, description: "it ended") }
        let counters = cyclesPerSample.map { cycles in
            taken.map { samples in
                var readings = CounterAccumulator(names: [CounterName.cycles])
                for _ in 0..<samples { readings.add([RawCount(value: cycles)]) }
                return Optional(readings)
            }
        }
        return MeasuringUsage(
            usage: cases.map { _ in ResourceUsage() }, calls: cases.indices.map { taken[$0] * cases[$0].iterationsPerSample },
            counters: counters)
    }

    func stop() {}
}

@Suite struct SizeSamplingTests {
    /// A sweep of n = 200 with the scalar kernel in `samples` rounds, without the Python ladder.
    static func configuration(samples: Int) -> SweepConfiguration {
        var configuration = SweepConfiguration(sizes: [200], kernels: [.scalar], samples: samples, minimumSampleMs: 0.05)
        configuration.python = .off
        return configuration
    }

    /// The cases matching `only` that a measuring process builds at n = 200, verified and
    /// calibrated: the templates a scripted process offers.
    static func cases(only: [String]) throws -> [CaseResult] {
        try LocalMeasuringProcess(setup: WorkerSetup(sizes: [200], kernels: [.scalar], minimumSampleMs: 0.05, only: only)).cases
    }

    /// Every measuring process counts the available events around its own samples; the size's
    /// counts are per call over the processes that reported them: one that counted nothing, or
    /// whose report was lost (its samples kept), adds neither counts nor calls to divide by.
    @Test func eachProcessCountsItsOwnSamplesAndTheCountsArePerCallOverThoseThatReported() throws {
        let configuration = Self.configuration(samples: 6)
        var cases = try Self.cases(only: ["native/into/scalar/*"])
        try #require(cases.count == 1)
        cases[0].iterationsPerSample = 10
        let processes = [
            ScriptedMeasuringProcess(cases: cases, cyclesPerSample: 1_000),
            ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil),
            ScriptedMeasuringProcess(cases: cases, cyclesPerSample: 9_999, failsItsReport: true),
            ScriptedMeasuringProcess(cases: cases, cyclesPerSample: 3_000)
        ]
        var notes: [Diagnostic] = []
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { notes.append($0) })
        var setups: [WorkerSetup] = []
        sampling.startMeasurer = { setup, _ in
            setups.append(setup)
            return processes[setups.count - 1]
        }
        let found = FoundEvents([
            CounterEvent(name: CounterName.cycles, group: "core", available: true),
            CounterEvent(name: CounterName.instructions, group: "core", available: false, unavailableReason: "not found")
        ])
        for pass in 0..<4 { sampling.pass(pass, of: 4, counters: found) { _ in } }

        #expect(setups.count == 4 && setups.allSatisfy { $0.counterEvents == [CounterName.cycles] })
        let result = try #require(sampling.results()?.first)
        #expect(result.samplesNs.count == 6 && Set(result.sampleProcesses ?? []) == [0, 1, 2, 3])
        // Passes 1 and 4 counted 2 and 1 samples of 10 calls: (2 × 1000 + 1 × 3000) / 30 calls.
        let counters = try #require(result.counters)
        #expect(counters.perCall == [CounterName.cycles: 5_000.0 / 30])
        #expect(notes.contains { $0.code == "process_failed" && $0.message.contains("it ended; its samples so far are kept") })
    }

    /// The first measuring process of a size verifies and calibrates every case; each later one is
    /// given the iterations of the cases the first verified (and only those) to take as they are.
    @Test func laterProcessesAreGivenTheCasesTheFirstVerified() throws {
        let configuration = Self.configuration(samples: 3)
        var cases = try Self.cases(only: ["native/into*/scalar/*"])
        try #require(cases.count == 3)
        cases[0].iterationsPerSample = 10
        cases[1].iterationsPerSample = 20
        cases[1].verified = false
        cases[2].iterationsPerSample = 30
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { _ in })
        var setups: [WorkerSetup] = []
        sampling.startMeasurer = { setup, _ in
            setups.append(setup)
            return ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil)
        }
        for pass in 0..<3 { sampling.pass(pass, of: 3, counters: nil) { _ in } }

        try #require(setups.count == 3)
        #expect(setups[0].verifiedIterations == nil)
        let given = [cases[0].id: 10, cases[2].id: 30]
        #expect(setups[1].verifiedIterations == given && setups[2].verifiedIterations == given)
    }

    /// A size counts the wall time of its processes' setup (here 20 ms a start, three starts) and
    /// of its samples' waits for the fast level (1 ms before each of 2 cases × 6 samples), for the
    /// run's `wall_time` diagnostic.
    @Test func aSizeCountsItsProcessesSetupAndItsWaits() throws {
        let configuration = Self.configuration(samples: 6)
        let cases = try Self.cases(only: ["native/into/scalar/*", "reference/memcpy/*"])
        try #require(cases.count == 2)
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { _ in })
        #expect(sampling.setupSeconds == 0 && sampling.waitedSeconds == 0)
        sampling.startMeasurer = { _, _ in
            usleep(20_000)
            return ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil, waitedNs: 1e6)
        }
        for pass in 0..<3 { sampling.pass(pass, of: 3, counters: nil) { _ in } }

        #expect(sampling.setupSeconds >= 0.06)
        #expect(abs(sampling.waitedSeconds - 0.012) < 1e-12)
        #expect(sampling.wallTimePhase == "n=200")
    }

    /// A case the budget cuts takes its samples from every process of the size, each process its
    /// share of the budget (here 3 s of 0.5 s samples over three processes: two each), not all of
    /// them from the first; each process takes at least one.
    @Test func aCaseTheBudgetCutsIsSampledInEveryProcess() throws {
        var configuration = Self.configuration(samples: 18)
        configuration.caseBudgetSeconds = 3
        var cases = try Self.cases(only: ["native/into/scalar/*", "reference/memcpy/*"])
        try #require(cases.count == 2)
        cases[0].iterationsPerSample = 100_000_000  // 5 ns a call: 0.5 s a sample
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { _ in })
        sampling.startMeasurer = { _, _ in ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil) }
        for pass in 0..<3 { sampling.pass(pass, of: 3, counters: nil) { _ in } }

        let results = try #require(sampling.results())
        #expect(results[0].sampleProcesses == [0, 0, 1, 1, 2, 2])
        #expect(results[1].samplesNs.count == 18)

        configuration.caseBudgetSeconds = 0.1
        let starved = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { _ in })
        starved.startMeasurer = { _, _ in ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil) }
        for pass in 0..<3 { starved.pass(pass, of: 3, counters: nil) { _ in } }
        #expect(starved.results()?.first?.sampleProcesses == [0, 1, 2])
    }

    /// A pass whose process the memory available cannot hold at its peak is not started: it is
    /// said why, with both amounts, and a size no process ran for has no results; a later pass
    /// starts once the memory is there.
    @Test func aProcessTheMemoryAvailableCannotHoldIsNotStarted() throws {
        let configuration = Self.configuration(samples: 2)
        let cases = try Self.cases(only: ["native/into/scalar/*"])
        let peak = try #require(configuration.peakBytes(n: 200, caches: CacheTopology.read()))
        var notes: [Diagnostic] = []
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { notes.append($0) })
        var started = 0
        sampling.startMeasurer = { _, _ in
            started += 1
            return ScriptedMeasuringProcess(cases: cases, cyclesPerSample: nil)
        }
        sampling.availableMemory = { KernelMemory.Available(bytes: peak - 1, limit: .cgroup) }
        sampling.pass(0, of: 2, counters: nil) { _ in }

        #expect(started == 0 && sampling.results() == nil)
        let said = try #require(notes.first { $0.code == "memory_short" }).message
        #expect(said.hasPrefix("n=200: measuring process 1 of 2 not started: it would hold up to \(Format.bytes(peak)) (five buffers"))
        #expect(said.hasSuffix("and \(Format.bytes(peak - 1)) are available (its memory cgroup's limit)"))

        sampling.availableMemory = { KernelMemory.Available(bytes: peak, limit: .system) }
        sampling.pass(1, of: 2, counters: nil) { _ in }
        #expect(started == 1 && sampling.results()?.first?.samplesNs.count == 1)
    }

    /// A size whose processes did not all get the pages asked for says so once, with how many
    /// and how much; one whose processes all did says nothing.
    @Test(arguments: [false, true])
    func buffersPagedOtherwiseThanAskedAreWarnedOfOncePerSize(shortOfHugePages: Bool) throws {
        var configuration = Self.configuration(samples: 3)
        configuration.pages = .huge
        let cases = try Self.cases(only: ["native/into/scalar/*"])
        let whole = PageBacking(bytes: 8 << 20, hugeBytes: 8 << 20)
        let backings = [
            whole, shortOfHugePages ? PageBacking(bytes: 8 << 20, hugeBytes: 6 << 20) : whole,
            shortOfHugePages ? PageBacking(bytes: 8 << 20, hugeBytes: 0) : whole
        ]
        var notes: [Diagnostic] = []
        let sampling = SizeSampling(configuration: configuration, n: 200, shouldStop: { false }, note: { notes.append($0) })
        var started = 0
        sampling.startMeasurer = { _, _ in
            started += 1
            return ScriptedMeasuringProcess(
                cases: cases, cyclesPerSample: nil, pageBacking: [SizePageBacking(n: 200, backing: backings[started - 1])])
        }
        for pass in 0..<3 { sampling.pass(pass, of: 3, counters: nil) { _ in } }
        sampling.noteOutcome()

        let warnings = notes.filter { $0.code == "pages_not_as_asked" }
        if shortOfHugePages {
            try #require(warnings.count == 1)
            #expect(warnings[0].message.hasPrefix("n=200: huge pages asked for, but 2 of 3 measuring processes had 0.0%–75.0%"))
        } else {
            #expect(warnings.isEmpty)
        }
    }
}
