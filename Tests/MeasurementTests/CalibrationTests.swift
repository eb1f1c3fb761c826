import BenchModel
import Testing
@testable import Measurement

/// A clock that only moves when told: tests decide what every call costs.
final class FakeClock: NanosecondClock {
    var time: UInt64 = 1_000
    /// Added on every read (a clock with a read cost).
    var readCost: UInt64 = 0

    func now() -> UInt64 {
        time += readCost
        return time
    }

    func advance(_ ns: UInt64) {
        time += ns
    }
}

@Suite struct CalibrationTests {
    let fineClock = ClockProfile(resolutionNs: 1, readOverheadNs: 20)

    @Test func samplesLastAtLeastTheMinimum() {
        let clock = FakeClock()
        let calibration = Calibration(minimumSampleNs: 1_000_000, clock: fineClock)
        let iterations = calibration.iterations(clock: clock) { clock.advance(1_000) }
        #expect(iterations * 1_000 >= 1_000_000)
        #expect(iterations * 1_000 <= 14_000_000, "overshoot: \(iterations)")
    }

    @Test func targetIsAtLeast1000TimesTheResolution() {
        let coarse = ClockProfile(resolutionNs: 10_000, readOverheadNs: 20)
        #expect(Calibration(minimumSampleNs: 1_000_000, clock: coarse).targetSampleNs == 10_000_000)
        #expect(Calibration(minimumSampleNs: 1_000_000, clock: fineClock).targetSampleNs == 1_000_000)
    }

    @Test func aSlowFirstCallDoesNotShortenWarmSamples() {
        let clock = FakeClock()
        var calls = 0
        let iterations = Calibration(minimumSampleNs: 1_000_000, clock: fineClock).iterations(clock: clock) {
            calls += 1
            clock.advance(calls == 1 ? 5_000_000 : 100)  // cold first call, then fast
        }
        #expect(iterations * 100 >= 1_000_000, "\(iterations) iterations of a 100 ns body")
    }

    @Test func bodiesSlowerThanTheTargetRunOncePerSample() {
        let clock = FakeClock()
        let iterations = Calibration(minimumSampleNs: 1_000_000, clock: fineClock).iterations(clock: clock) {
            clock.advance(3_000_000)
        }
        #expect(iterations == 1)
    }

    @Test func aCallFarLongerThanTheTargetIsTimedOnceWhenCalledBefore() {
        let clock = FakeClock()
        var calls = 0
        let iterations = Calibration(minimumSampleNs: 1_000_000, clock: fineClock).iterations(clock: clock, calledBefore: true) {
            calls += 1
            clock.advance(30_000_000)
        }
        #expect(iterations == 1)
        #expect(calls == 1, "a 30 ms call against a 1 ms target needs no warm pass")
    }

    @Test func aCallNearTheTargetIsTimedAgainWarm() {
        let clock = FakeClock()
        var calls = 0
        let iterations = Calibration(minimumSampleNs: 1_000_000, clock: fineClock).iterations(clock: clock, calledBefore: true) {
            calls += 1
            clock.advance(calls == 1 ? 3_000_000 : 200_000)  // first 3 ms, then 0.2 ms
        }
        #expect(calls > 1)
        #expect(iterations * 200_000 >= 1_000_000, "\(iterations) iterations of a 0.2 ms body")
    }

    @Test func bodiesTooFastForTheClockStopAtTheCap() {
        let clock = FakeClock()
        let iterations = Calibration(minimumSampleNs: 1_000_000, clock: fineClock)
            .iterations(clock: clock, maximumIterations: 5000) {}
        #expect(iterations == 5000)
    }

    @Test func clockProfileMeasuresStepAndReadCost() {
        let clock = FakeClock()
        clock.readCost = 25
        let profile = ClockProfile.measure(clock, reads: 1000, batches: 5)
        #expect(profile.resolutionNs == 25)
        #expect(profile.readOverheadNs == 25)
        #expect(profile.declaredResolutionNs == nil)
    }

    @Test func theRealClockIsMonotonicAndFine() {
        let profile = ClockProfile.measure(MonotonicClock(), reads: 10_000, batches: 5)
        #expect(profile.resolutionNs > 0 && profile.resolutionNs < 1_000_000)
        #expect(profile.readOverheadNs > 0)
    }
}

@Suite struct SamplerTests {
    let profile = ClockProfile(resolutionNs: 1, readOverheadNs: 1)

    @Test func eachRoundIsAPermutationAndNoCaseAlwaysFollowsTheSameOne() {
        var predecessors: [Int: Set<Int>] = [:]
        var firsts: Set<Int> = []
        for round in 0..<40 {
            let order = InterleavedSampler<FakeClock>.order(round: round, count: 6)
            #expect(order.sorted() == Array(0..<6))
            #expect(order == InterleavedSampler<FakeClock>.order(round: round, count: 6))  // the same in every run
            firsts.insert(order[0])
            for k in 1..<order.count { predecessors[order[k], default: []].insert(order[k - 1]) }
        }
        #expect(firsts.count == 6)
        #expect(predecessors.count == 6 && predecessors.values.allSatisfy { $0.count >= 4 }, "\(predecessors)")
    }

    @Test func casesAreInterleavedInEachRoundsOrder() {
        let clock = FakeClock()
        var log: [String] = []
        var recording = false
        let cases = ["A", "B", "C"].map { name in
            TimedCase(id: name, beforeSample: { if recording { log.append(name) } }) { clock.advance(1_000_000) }
        }
        let sampler = InterleavedSampler(
            clock: clock, profile: profile, plan: SamplingPlan(samples: 4, minimumSampleNs: 1_000_000, warmupSamples: 0))
        recording = true
        let results = sampler.run(cases)
        // Calibration also calls beforeSample once per case, first.
        let expected = (0..<4).flatMap { round in InterleavedSampler<FakeClock>.order(round: round, count: 3).map { ["A", "B", "C"][$0] } }
        #expect(Array(log.suffix(12)) == expected)
        #expect(results.map(\.samplesNs.count) == [4, 4, 4])
        #expect(results.allSatisfy { $0.samplesNs.allSatisfy { $0 == 1_000_000 } && $0.iterationsPerSample == 1 })
    }

    @Test func perCallTimeDividesByIterations() {
        let clock = FakeClock()
        let sampler = InterleavedSampler(clock: clock, profile: profile, plan: SamplingPlan(samples: 3, minimumSampleNs: 1_000_000))
        let result = sampler.run([TimedCase(id: "x") { clock.advance(250) }])[0]
        #expect(result.iterationsPerSample >= 4000)
        #expect(result.samplesNs == [250, 250, 250])
    }

    @Test func budgetLimitsSlowCasesAndIsReported() {
        let clock = FakeClock()
        let plan = SamplingPlan(samples: 10, minimumSampleNs: 1_000, warmupSamples: 0, caseBudgetNs: 3_500)
        let result = InterleavedSampler(clock: clock, profile: profile, plan: plan)
            .run([TimedCase(id: "slow") { clock.advance(1_000) }])[0]
        #expect(result.samplesNs.count == 4)
        #expect(result.samplesRequested == 10)
    }

    @Test func stopRequestEndsSamplingWithWhatWasTaken() {
        let clock = FakeClock()
        var taken = 0
        let plan = SamplingPlan(samples: 100, minimumSampleNs: 1_000, warmupSamples: 0)
        let results = InterleavedSampler(clock: clock, profile: profile, plan: plan).run(
            [TimedCase(id: "a") { clock.advance(1_000) }, TimedCase(id: "b") { clock.advance(1_000) }],
            shouldStop: { taken >= 5 }, progress: { done, _ in taken = done })
        #expect(results.map(\.samplesNs.count).reduce(0, +) == 5)
    }

    @Test func singleCallSamplesSkipCalibration() {
        let clock = FakeClock()
        let plan = SamplingPlan(samples: 3, minimumSampleNs: 1_000_000, singleCallSamples: true)
        let result = InterleavedSampler(clock: clock, profile: profile, plan: plan).run([TimedCase(id: "x") { clock.advance(10) }])[0]
        #expect(result.iterationsPerSample == 1 && result.samplesNs == [10, 10, 10])
    }
}
