import BenchModel
import Foundation
import Testing
@testable import Measurement

/// A counter source that returns scripted readings, one list per sample.
final class ScriptedCounterSource: CounterSource {
    let events: [CounterEvent]
    private var script: [[RawCount]]
    private(set) var starts = 0

    init(names: [String], script: [[RawCount]]) {
        events = names.map { CounterEvent(name: $0, group: nil, available: true) }
        self.script = script
    }

    func start() { starts += 1 }

    func stop() -> [RawCount] {
        script.isEmpty ? [] : script.removeFirst()
    }
}

@Suite struct MultiplexScalingTests {
    @Test func unmultiplexedCountsAreExact() {
        let count = RawCount(value: 1000)
        #expect(count.scaled == 1000 && count.coverage == 1 && !count.isMultiplexed)
    }

    @Test func partialCoverageIsExtrapolated() {
        let count = RawCount(value: 250, timeEnabledNs: 1000, timeRunningNs: 250)
        #expect(count.scaled == 1000 && count.coverage == 0.25 && count.isMultiplexed)
    }

    @Test func zeroCoverageCannotBeExtrapolated() {
        let count = RawCount(value: 0, timeEnabledNs: 1000, timeRunningNs: 0)
        #expect(count.scaled == nil && count.coverage == 0)
    }

    @Test func sourceMultiplexedWithoutTimesHasUnknownCoverage() {
        let count = RawCount(value: 500, multiplexed: true)
        #expect(count.scaled == 500 && count.coverage == nil && count.isMultiplexed)
    }
}

@Suite struct CounterAccumulatorTests {
    let names = [CounterName.cycles, CounterName.instructions, CounterName.referenceCycles]

    @Test func perCallCountsAndCoverage() {
        var accumulator = CounterAccumulator(names: names)
        accumulator.add([RawCount(value: 4000), RawCount(value: 8000), RawCount(value: 2000)])
        accumulator.add([RawCount(value: 1000, timeEnabledNs: 100, timeRunningNs: 25), RawCount(value: 8000), RawCount(value: 2000)])
        let counters = accumulator.finish(calls: 4, elements: 1000, bytesPerCall: 16_000, nsPerCall: 1000)
        #expect(counters.perCall[CounterName.cycles] == 2000)  // (4000 + 1000 × 4) / 4
        #expect(counters.perCall[CounterName.instructions] == 4000)
        #expect(counters.coverage[CounterName.cycles] == 0.25)
        #expect(counters.coverage[CounterName.instructions] == 1)
        #expect(counters.multiplexed && counters.derived.restsOnMultiplexedCounts)
        #expect(counters.derived.ipc == 2)
        #expect(counters.derived.clockRatio == 2)
        #expect(counters.derived.effectiveGHz == 2)  // 2000 cycles in 1000 ns
    }

    @Test func anEventThatNeverRanIsDropped() {
        var accumulator = CounterAccumulator(names: [CounterName.cycles, CounterName.l1DataMisses])
        accumulator.add([RawCount(value: 100), RawCount(value: 0, timeEnabledNs: 10, timeRunningNs: 0)])
        let counters = accumulator.finish(calls: 1, elements: 10, bytesPerCall: 160, nsPerCall: 50)
        #expect(counters.perCall.keys.sorted() == [CounterName.cycles])
        #expect(counters.derived.l1MissesPerElement == nil)
    }

    /// Two processes' readings of one case add up; the coverage is the lower; a name the other
    /// did not count (or lost) is lost, and a name only the other counted is not taken.
    @Test func anotherProcessesReadingsAddUp() throws {
        var first = CounterAccumulator(names: [CounterName.cycles, CounterName.instructions, CounterName.l1DataMisses])
        first.add([RawCount(value: 1000), RawCount(value: 3000), RawCount(value: 10)])
        var second = CounterAccumulator(names: [CounterName.instructions, CounterName.cycles, CounterName.l2Misses])
        second.add([RawCount(value: 500, timeEnabledNs: 100, timeRunningNs: 50), RawCount(value: 2000), RawCount(value: 7)])
        first.add(second)
        let counters = first.finish(calls: 10, elements: 100, bytesPerCall: 1600, nsPerCall: 100)
        #expect(counters.perCall == [CounterName.cycles: 300, CounterName.instructions: 400])  // (3000 + 500 × 2) / 10
        #expect(counters.coverage[CounterName.instructions] == 0.5 && counters.coverage[CounterName.cycles] == 1)
        #expect(counters.multiplexed)
        var lost = CounterAccumulator(names: [CounterName.cycles])
        lost.add([RawCount(value: 0, timeEnabledNs: 10, timeRunningNs: 0)])
        var counted = CounterAccumulator(names: [CounterName.cycles])
        counted.add([RawCount(value: 100)])
        counted.add(lost)
        #expect(counted.finish(calls: 1, elements: 1, bytesPerCall: 16, nsPerCall: 1).perCall.isEmpty)
    }

    /// What a worker sends with its usage reads back as it was; totals of another length do not.
    @Test func readingsRoundTripThroughJSON() throws {
        var accumulator = CounterAccumulator(names: names)
        accumulator.add([
            RawCount(value: 4000), RawCount(value: 0, timeEnabledNs: 10, timeRunningNs: 0), RawCount(value: 7, multiplexed: true)
        ])
        let decoded = try JSONDecoder().decode(CounterAccumulator.self, from: JSONEncoder().encode(accumulator))
        #expect(decoded == accumulator)
        let skewed = #"{"names":["a","b"],"totals":[1],"minimum_coverage":[null,null],"multiplexed":false,"lost":[]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CounterAccumulator.self, from: Data(skewed.utf8)) }
    }

    @Test func zeroCallsDoNotDivideByZero() {
        let counters = CounterAccumulator(names: names).finish(calls: 0, elements: 0, bytesPerCall: 0, nsPerCall: 0)
        #expect(counters.perCall[CounterName.cycles] == 0)
        #expect(counters.derived.ipc == nil && counters.derived.effectiveGHz == nil)
    }
}

@Suite struct CounterMetricsTests {
    @Test func perElementPerKiBAndMix() {
        let perCall: [String: Double] = [
            CounterName.cycles: 3000, CounterName.instructions: 1500, CounterName.l1DataMisses: 250,
            CounterName.l3Misses: 32, CounterName.branchMispredictions: 2,
            "FP_ARITH_INST_RETIRED:SCALAR_DOUBLE": 0, "FP_ARITH_INST_RETIRED:128B_PACKED_DOUBLE": 0,
            "FP_ARITH_INST_RETIRED:256B_PACKED_DOUBLE": 50, "FP_ARITH_INST_RETIRED:512B_PACKED_DOUBLE": 150
        ]
        let metrics = CounterMetrics(perCall: perCall, elements: 1000, bytesPerCall: 16_384, nsPerCall: 1500, multiplexed: false)
        #expect(metrics.ipc == 0.5)
        #expect(metrics.cyclesPerElement == 3 && metrics.instructionsPerElement == 1.5)
        #expect(metrics.l1MissesPerElement == 0.25 && metrics.l1MissesPerKiB == 15.625)
        #expect(metrics.l3MissesPerKiB == 2 && metrics.l2MissesPerElement == nil)
        #expect(metrics.branchMispredictionsPerCall == 2)
        #expect(metrics.effectiveGHz == 2 && metrics.clockRatio == nil)
        #expect(metrics.vectorMix == ["scalar": 0, "128": 0, "256": 0.25, "512": 0.75])
        #expect(!metrics.restsOnMultiplexedCounts)
    }

    @Test func mixNeedsEveryWidthAndSomeFPWork() {
        let partial = CounterMetrics(
            perCall: ["FP_ARITH_INST_RETIRED:SCALAR_DOUBLE": 10], elements: 1, bytesPerCall: 1,
            nsPerCall: 1, multiplexed: false)
        #expect(partial.vectorMix == nil)
        let none = Dictionary(uniqueKeysWithValues: VectorWidthEvents.intel.widths.map { ($0.event, 0.0) })
        #expect(CounterMetrics(perCall: none, elements: 1, bytesPerCall: 1, nsPerCall: 1, multiplexed: false).vectorMix == nil)
    }
}

@Suite struct VectorWidthEventsTests {
    /// Zen 4 names its by-width counters differently; a reading in its names gives the same mix.
    @Test func anAMDReadingGivesTheMix() {
        let perCall: [String: Double] = [
            "RETIRED_FP_OPS_BY_WIDTH:SCALAR_UOPS_RETIRED": 10, "RETIRED_FP_OPS_BY_WIDTH:PACK128_UOPS_RETIRED": 0,
            "RETIRED_FP_OPS_BY_WIDTH:PACK256_UOPS_RETIRED": 0, "RETIRED_FP_OPS_BY_WIDTH:PACK512_UOPS_RETIRED": 190
        ]
        let metrics = CounterMetrics(perCall: perCall, elements: 1000, bytesPerCall: 16_000, nsPerCall: 100, multiplexed: false)
        #expect(metrics.vectorMix == ["scalar": 0.05, "128": 0, "256": 0, "512": 0.95])
        #expect(VectorIdentity.mismatch(kernel: "avx512", mix: metrics.vectorMix ?? [:]) == nil)
    }

    @Test func theVocabularyIsTheOneThisCPUsPAPIKnows() {
        let amdNames = Set(VectorWidthEvents.amdZen4.widths.map(\.event))
        #expect(VectorWidthEvents.select { amdNames.contains($0) }.pmus == VectorWidthEvents.amdZen4.pmus)
        #expect(VectorWidthEvents.select { $0.hasPrefix("FP_ARITH") }.pmus == VectorWidthEvents.intel.pmus)
        // A CPU that knows only some of a vocabulary's events does not get it.
        #expect(
            VectorWidthEvents.select { $0 == "RETIRED_FP_OPS_BY_WIDTH:PACK512_UOPS_RETIRED" }.pmus
                == VectorWidthEvents.intel.pmus)
        // None known: Intel's names, to be recorded unavailable with PAPI's reason.
        #expect(VectorWidthEvents.select { _ in false }.pmus == VectorWidthEvents.intel.pmus)
    }

    @Test func vocabulariesShareTheirLabels() {
        let labels = VectorWidthEvents.known.map { $0.widths.map(\.width) }
        #expect(labels.allSatisfy { $0 == ["scalar", "128", "256", "512"] })
    }
}

@Suite struct VectorIdentityTests {
    @Test func matchingMixesPass() {
        #expect(VectorIdentity.mismatch(kernel: "scalar", mix: ["scalar": 1, "128": 0, "256": 0, "512": 0]) == nil)
        #expect(VectorIdentity.mismatch(kernel: "avx2", mix: ["scalar": 0.05, "128": 0, "256": 0.95, "512": 0]) == nil)
        #expect(VectorIdentity.mismatch(kernel: "avx512", mix: ["scalar": 0, "128": 0, "256": 0, "512": 1]) == nil)
    }

    @Test func mismatchesAreNamed() {
        #expect(
            VectorIdentity.mismatch(kernel: "scalar", mix: ["scalar": 0.5, "128": 0.5, "256": 0, "512": 0])
                == "a scalar kernel retired 50.0% packed FP instructions")
        #expect(
            VectorIdentity.mismatch(kernel: "avx512", mix: ["scalar": 0, "128": 0, "256": 1, "512": 0])
                == "an avx512 kernel retired no 512-bit FP instructions")
        #expect(
            VectorIdentity.mismatch(kernel: "avx2", mix: ["scalar": 0, "128": 0, "256": 0.5, "512": 0.5])
                == "an avx2 kernel retired 50.0% 512-bit FP instructions")
        #expect(
            VectorIdentity.mismatch(kernel: "avx2", mix: ["scalar": 1, "128": 0, "256": 0, "512": 0])
                == "an avx2 kernel retired no 256-bit FP instructions")
    }
}

@Suite struct CountersInTheSamplerTests {
    @Test func readingsAreTakenAroundEveryTimedSample() {
        let clock = FakeClock()
        let source = ScriptedCounterSource(names: [CounterName.cycles], script: Array(repeating: [RawCount(value: 3000)], count: 3))
        let plan = SamplingPlan(samples: 3, minimumSampleNs: 1_000, warmupSamples: 0)
        let result = InterleavedSampler(clock: clock, profile: ClockProfile(resolutionNs: 1, readOverheadNs: 1), plan: plan)
            .run([TimedCase(id: "x") { clock.advance(1_000) }], counters: source)[0]
        #expect(source.starts == 3)
        let counters = result.counters!.finish(calls: result.calls, elements: 10, bytesPerCall: 160, nsPerCall: 1_000)
        #expect(counters.perCall[CounterName.cycles] == 3000)  // 9000 over 3 calls
    }
}

/// PAPI is not thread-safe (the library keeps global state; jsa-bench uses it from one thread):
/// these tests take turns. Run in parallel, PAPI_library_init once crashed in CI.
@Suite(.serialized) struct PAPIOnThisMachineTests {
    @Test func papiInitialisesAndDescribesItsComponents() {
        #expect(PAPILibrary.initError == nil)
        let inventory = PAPILibrary.inventory()
        #expect(inventory.version?.hasPrefix("7.") == true)
        #expect(inventory.components.contains { $0.name == "perf_event" })
        #expect(inventory.components.allSatisfy { $0.enabled || $0.disabledReason?.isEmpty == false })
    }

    /// Without a PMU every core counter is unavailable, each with PAPI's reason; with one, they count.
    @Test func coreCountersAreAvailableOrCarryAReason() throws {
        let source = try PAPICounterSource(names: CounterGroup.core.events.map { ($0, "core") }, strict: false)
        #expect(source.events.map(\.name) == CounterGroup.core.events)
        #expect(source.events.allSatisfy { $0.available || $0.unavailableReason?.isEmpty == false })
        source.start()
        #expect(source.stop().count == source.events.filter(\.available).count)
    }

    /// libpfm4 names events by the CPU model, so the vocabulary is chosen even without a PMU.
    @Test func theVectorGroupUsesNamesPAPIResolves() {
        let events = CounterGroup.vector.events
        #expect(events == VectorWidthEvents.onThisMachine.widths.map(\.event))
        let resolvable = VectorWidthEvents.known.filter { $0.widths.allSatisfy { PAPICounterSource.resolves($0.event) } }
        if let first = resolvable.first {
            #expect(VectorWidthEvents.onThisMachine.pmus == first.pmus)
            #expect(events.allSatisfy(PAPICounterSource.resolves))
        } else {
            #expect(VectorWidthEvents.onThisMachine.pmus == VectorWidthEvents.intel.pmus)
        }
    }

    @Test func unknownEventNamesAreErrorsNamingTheEvent() {
        let unknown = PAPICounterSource.firstUnknown(["PAPI_TOT_CYC", "NO_SUCH_EVENT_XYZ"])
        #expect(unknown?.name == "NO_SUCH_EVENT_XYZ")
        #expect(unknown?.description.contains("jsa-bench env") == true)
        #expect(throws: PAPICounterSource.UnknownEvent.self) {
            try PAPICounterSource(names: [("NO_SUCH_EVENT_XYZ", nil)], strict: true)
        }
    }
}
