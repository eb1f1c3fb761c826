import BenchModel
import Testing
@testable import Measurement

/// A sample's calls timed in epochs: the median epoch is the sample, the whole is kept beside it.
@Suite struct SamplerEpochTests {
    let profile = ClockProfile(resolutionNs: 1, readOverheadNs: 20)

    /// A sampler of `epochs` epochs per sample, without the speed probe, over a case whose call
    /// `k` (counted from 0 over the timed calls) takes 250 ns plus `pauses[k]`.
    func sample(iterations: Int, epochs: Int, pauses: [Int: UInt64]) -> TimedSample {
        let clock = FakeClock()
        var call = 0
        let timed = TimedCase(id: "x", warmable: false) {
            clock.advance(250 + (pauses[call] ?? 0))
            call += 1
        }
        let plan = SamplingPlan(samples: 1, minimumSampleNs: 1_000, epochsPerSample: epochs)
        return InterleavedSampler(clock: clock, profile: profile, plan: plan, probe: nil).sample(timed, iterations: iterations)
    }

    @Test func aPauseInOneEpochIsLeftOutOfTheSampleAndKeptInItsWallTime() {
        // 800 calls in 8 epochs of 100; a 30 µs pause in the third.
        let taken = sample(iterations: 800, epochs: 8, pauses: [250: 30_000])
        #expect(taken.ns == 250)
        #expect(taken.wallNs == 250 + 30_000.0 / 800)
    }

    @Test func pausesInMostEpochsStayInTheSample() {
        // A pause in five epochs of eight is how the host runs, not an accident of a few epochs.
        let pauses = Dictionary(uniqueKeysWithValues: [10, 110, 210, 310, 410].map { ($0, UInt64(10_000)) })
        let taken = sample(iterations: 800, epochs: 8, pauses: pauses)
        #expect(taken.ns == 350)
        #expect(taken.wallNs == 250 + 50_000.0 / 800)
    }

    @Test func oneEpochTimesTheWholeSample() {
        let taken = sample(iterations: 800, epochs: 1, pauses: [250: 30_000])
        #expect(taken.ns == taken.wallNs && taken.ns == 250 + 30_000.0 / 800)
    }

    @Test func epochsNeverOutnumberCallsAndUnevenEpochsCountPerCall() {
        // Three calls: three epochs of one call each; the slow one is outvoted.
        let three = sample(iterations: 3, epochs: 8, pauses: [2: 9_750])
        #expect(three.ns == 250 && three.wallNs == (3 * 250 + 9_750.0) / 3)
        // Ten calls in eight epochs: two of two calls, six of one, all at the same pace.
        let ten = sample(iterations: 10, epochs: 8, pauses: [:])
        #expect(ten.ns == 250 && ten.wallNs == 250)
    }

    @Test func sampledCasesKeepEachSamplesWallTime() {
        let clock = FakeClock()
        var call = 0
        let timed = TimedCase(id: "x", warmable: false) {
            clock.advance(call % 2500 == 2499 ? 100_250 : 250)  // one 100 µs pause in every 2500 calls
            call += 1
        }
        let plan = SamplingPlan(samples: 5, minimumSampleNs: 1_000_000)
        let result = InterleavedSampler(clock: clock, profile: profile, plan: plan, probe: nil).run([timed])[0]
        // Calibration makes a sample 4000–5600 calls: one to three pauses, in at most three of eight epochs.
        #expect((4000...5600).contains(result.iterationsPerSample))
        #expect(result.samplesNs.count == 5 && result.wallNs.count == 5)
        #expect(result.samplesNs.allSatisfy { $0 == 250 })
        #expect(result.wallNs.allSatisfy { $0 > 250 })
    }
}
