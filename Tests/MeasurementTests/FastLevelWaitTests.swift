import BenchModel
import Testing
@testable import Measurement

/// Waiting for the host's fast level before a sample: on scripted probes and a fake clock.
@Suite struct FastLevelWaitTests {
    /// A probe that takes the next of `durations` (the last one over and over) on `clock`.
    final class ScriptedProbe {
        let clock: FakeClock
        var durations: [UInt64]
        var calls = 0

        init(clock: FakeClock, durations: [UInt64]) {
            self.clock = clock
            self.durations = durations
        }

        /// Times one probe call on the clock, as the sampler does, ns.
        func time() -> Double {
            let start = clock.now()
            run()
            return Double(clock.now() - start)
        }

        func run() {
            clock.advance(durations[min(calls, durations.count - 1)])
            calls += 1
        }
    }

    @Test func aFastProbeIsTakenAtOnce() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [9_999])
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 1), floorNs: 1_000)
        let (last, waited) = waiter.wait(firstProbeNs: 1_150, now: clock.now, probe: probe.time)
        #expect(last == 1_150 && waited == 0 && probe.calls == 0)
        #expect(waiter.waitedNs == 0)
    }

    @Test func aSlowProbeIsTimedAgainUntilItHasReadFastForTheConfirmation() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [2_000, 1_900, 1_100])  // then 1.1 µs on end
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 1), floorNs: 1_000)
        let (last, waited) = waiter.wait(firstProbeNs: 2_000, now: clock.now, probe: probe.time)
        // The first fast probe ends 5 µs into the wait; the run of fast ones must last 200 µs more.
        let fastRun = (FastLevelWait.confirmationNs / 1_100).rounded(.up) * 1_100
        #expect(last == 1_100 && waited == 5_000 + fastRun && probe.calls == 3 + Int(fastRun / 1_100))
        #expect(waiter.waitedNs == waited)
    }

    /// A fast blip inside a slow stretch does not end the wait: the fast run starts over.
    @Test func aBlipOfTheFastLevelDoesNotEndTheWait() {
        let clock = FakeClock()
        let blips = [UInt64](repeating: 2_000, count: 10) + [1_000, 1_000, 2_000] + [UInt64](repeating: 2_000, count: 10)
        let probe = ScriptedProbe(clock: clock, durations: blips + [1_000])  // then fast on end
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 1), floorNs: 1_000)
        let (_, waited) = waiter.wait(firstProbeNs: 2_000, now: clock.now, probe: probe.time)
        let beforeTheStretch = Double(blips.reduce(0, +)) + 1_000
        #expect(waited == beforeTheStretch + FastLevelWait.confirmationNs)
    }

    @Test func theWaitsStopAtTheirBudgetAndGrowWithTheSampling() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [1_000_000])  // 1 ms and always slow
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 2), floorNs: 1_000)
        // Before any sampling the budget is the allowance times the ratio: 50 ms.
        #expect(waiter.budgetLeftNs == 2 * FastLevelWait.allowanceNs)
        let (last, waited) = waiter.wait(firstProbeNs: 1_000_000, now: clock.now, probe: probe.time)
        #expect(last == 1_000_000 && waited == 50_000_000 && probe.calls == 50)
        #expect(waiter.budgetLeftNs == 0)
        // Spent: the next sample does not wait at all.
        #expect(waiter.wait(firstProbeNs: 1_000_000, now: clock.now, probe: probe.time).waitedNs == 0)
        // 3 ms of sampling buys 6 ms of waiting.
        waiter.sampled(3_000_000)
        #expect(waiter.budgetLeftNs == 6_000_000)
        #expect(waiter.wait(firstProbeNs: 1_000_000, now: clock.now, probe: probe.time).waitedNs == 6_000_000)
    }

    @Test func noSampleWaitsLongerThanTheLongestWait() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [10_000_000])  // 10 ms, always slow
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 20), floorNs: 1_000)
        waiter.sampled(1e9)  // a budget of 20 s
        let (_, waited) = waiter.wait(firstProbeNs: 10_000_000, now: clock.now, probe: probe.time)
        #expect(waited == FastLevelWait.maximumWaitNs)
    }

    @Test func theFloorIsTheLowestProbeSeen() {
        let clock = FakeClock()
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 1), floorNs: 2_000)
        // A faster probe lowers it; the earlier level now reads slow.
        #expect(waiter.wait(firstProbeNs: 1_000, now: clock.now, probe: { 0 }).waitedNs == 0)
        #expect(waiter.floorNs == 1_000)
        #expect(waiter.isFast(1_000 * FastLevelWait.tolerance) && !waiter.isFast(2_000))
        // Probes timed while waiting lower it too.
        let probe = ScriptedProbe(clock: clock, durations: [800])
        let (last, _) = waiter.wait(firstProbeNs: 2_000, now: clock.now, probe: probe.time)
        #expect(last == 800 && waiter.floorNs == 800)
    }

    /// A process told no floor spends its first wait finding one: one that starts in a slow
    /// stretch (2 µs for 10 ms, then 1 µs) would otherwise take 2 µs for the fast level.
    @Test func withoutAFloorTheFirstWaitFindsOne() {
        let clock = FakeClock()
        let slowThenFast = [UInt64](repeating: 2_000, count: 5_000) + [1_000]
        let probe = ScriptedProbe(clock: clock, durations: slowThenFast)
        let waiter = FastLevelWaiter(policy: FastLevelWait(budgetRatio: 1))
        #expect(waiter.floorNs == nil && waiter.isFast(123_456))  // nothing to compare with yet
        let (last, waited) = waiter.wait(firstProbeNs: 2_000, now: clock.now, probe: probe.time)
        #expect(waiter.floorNs == 1_000 && last == 1_000)
        #expect(waited == FastLevelWait.allowanceNs)  // the whole first budget, spent finding it
        #expect(!waiter.isFast(2_000))
    }

    /// The sampler waits before a sample, records the last probe and the time waited, and books
    /// the sample's time to the budget; without the plan's wait, it records no wait.
    @Test func theSamplerWaitsBeforeASampleAndRecordsTheWait() {
        let profile = ClockProfile(resolutionNs: 1, readOverheadNs: 20)
        for waiting in [false, true] {
            let clock = FakeClock()
            let probe = ScriptedProbe(
                clock: clock, durations: waiting ? [1_000, 1_000, 1_000, 1_000, 2_500, 2_500, 1_050] : [1_000, 1_000, 2_500, 2_500])
            let timed = TimedCase(id: "x", warmable: false) { clock.advance(250) }
            let plan = SamplingPlan(samples: 1, minimumSampleNs: 1_000, fastLevelWait: waiting ? FastLevelWait(budgetRatio: 1) : nil)
            let sampler = InterleavedSampler(clock: clock, profile: profile, plan: plan, probe: probe.run, probeFloorNs: 1_000)
            // The first sample: an untimed probe call, then a timed one at 1 µs (the floor), and
            // when waiting the same pair after the sample.
            let first = sampler.sample(timed, iterations: 40)
            #expect(first.probeNs == 1_000 && first.waitedNs == (waiting ? 0 : nil))
            // The second: the untimed call, then 2.5 µs — slow — and, when waiting, timed again
            // until it has read fast (1.05 µs) for the confirmation.
            let second = sampler.sample(timed, iterations: 40)
            #expect(second.ns == 250)
            if waiting {
                let fastRun = (FastLevelWait.confirmationNs / 1_050).rounded(.up) * 1_050
                #expect(second.probeNs == 1_050 && second.waitedNs == 1_050 + fastRun)
                #expect(sampler.fastLevelWaiter?.sampledNs == Double(2 * 40 * 250))
            } else {
                #expect(second.probeNs == 2_500 && second.waitedNs == nil && sampler.fastLevelWaiter == nil)
            }
        }
    }

    /// Under a wait, a sample whose host slowed during it shows it: its probe is the slower of the
    /// one before it and the one after.
    @Test func theProbeAfterTheSampleCountsWhereItIsSlower() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [1_000, 1_000, 3_000])  // untimed, timed; after: 3 µs
        let timed = TimedCase(id: "x", warmable: false) { clock.advance(250) }
        let plan = SamplingPlan(samples: 1, minimumSampleNs: 1_000, fastLevelWait: FastLevelWait(budgetRatio: 1))
        let sampler = InterleavedSampler(
            clock: clock, profile: ClockProfile(resolutionNs: 1, readOverheadNs: 20), plan: plan, probe: probe.run, probeFloorNs: 1_000)
        let taken = sampler.sample(timed, iterations: 40)
        #expect(taken.probeNs == 3_000 && taken.waitedNs == 0 && probe.calls == 4)
    }

    /// A sample that counts hardware events neither waits nor probes after its calls: the counters
    /// run from before the calls until the caller stops them, and would count the probe.
    @Test func aCountedSampleNeitherWaitsNorProbesAfter() {
        let clock = FakeClock()
        let probe = ScriptedProbe(clock: clock, durations: [2_500, 2_500, 1_000])  // slow before the sample
        let timed = TimedCase(id: "x", warmable: false) { clock.advance(250) }
        let plan = SamplingPlan(samples: 1, minimumSampleNs: 1_000, fastLevelWait: FastLevelWait(budgetRatio: 1))
        let sampler = InterleavedSampler(
            clock: clock, profile: ClockProfile(resolutionNs: 1, readOverheadNs: 20), plan: plan, probe: probe.run, probeFloorNs: 1_000)
        let counters = ScriptedCounterSource(names: ["PAPI_TOT_INS"], script: [[RawCount(value: 1)]])
        let taken = sampler.sample(timed, iterations: 40, counters: counters)
        #expect(taken.probeNs == 2_500 && taken.waitedNs == nil && probe.calls == 2 && counters.starts == 1)
        #expect(sampler.fastLevelWaiter?.waitedNs == 0 && sampler.fastLevelWaiter?.sampledNs == 0)
    }

    @Test func aCasesWaitsAddUp() {
        var samples = CaseSamples(iterationsPerSample: 10, samplesRequested: 3)
        samples.append(TimedSample(ns: 1, probeNs: 1, waitedNs: nil), round: 0, iterations: 10)
        #expect(samples.waitedNs == nil)
        samples.append(TimedSample(ns: 1, probeNs: 1, waitedNs: 0), round: 1, iterations: 10)
        samples.append(TimedSample(ns: 1, probeNs: 1, waitedNs: 5_000), round: 2, iterations: 10)
        #expect(samples.waitedNs == 5_000)
    }
}
