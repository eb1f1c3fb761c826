import BenchModel
import Measurement
import Testing
@testable import Sweep

@Suite struct PythonSamplingTests {
    static func rung(_ name: String, samples: [Double], loops: Int, faultsPerCall: Double = 0, verified: Bool = true) -> CaseResult {
        let kind = CaseKind.python(PythonRung(rawValue: name)!)
        return CaseResult(
            id: kind.id(n: 1000, period: 30), family: kind.family, variant: kind.variant, kernel: nil, resolvedKernel: nil, n: 1000,
            period: 30, periods: nil, threads: 1, bytesPerCall: 0, workingSetBytes: 16_000, level: "L1",
            iterationsPerSample: loops, samplesNs: samples, samplesRequested: samples.count, stats: nil, perElementNs: nil,
            gbps: nil, verified: verified, verificationError: verified ? nil : "differs",
            rusagePerCall: ResourceUsage(minorFaults: faultsPerCall))
    }

    /// Sample k of a pass is its round firstRound + k, in that pass's helper process.
    @Test func passesAreMergedWithTheirRoundsAndProcesses() throws {
        let first = PythonSampling.merged(
            [], with: [Self.rung("noop", samples: [10, 11, 12], loops: 100, faultsPerCall: 0.5)], firstRound: 0, process: 0,
            samplesRequested: 5)
        let both = PythonSampling.merged(
            first,
            with: [
                Self.rung("noop", samples: [20, 21], loops: 100, faultsPerCall: 0),
                Self.rung("jsa", samples: [30, 31], loops: 7, verified: false)
            ], firstRound: 3, process: 1, samplesRequested: 5)
        let noop = try #require(both.first { $0.variant == "noop" })
        #expect(noop.samplesNs == [10, 11, 12, 20, 21])
        #expect(noop.sampleRounds == [0, 1, 2, 3, 4])
        #expect(noop.sampleProcesses == [0, 0, 0, 1, 1])
        #expect(noop.samplesRequested == 5)
        #expect(noop.rusagePerCall.minorFaults == 0.5 * 300 / 500)  // weighted by the calls behind each rate
        #expect(noop.verified)
        let jsa = try #require(both.first { $0.variant == "jsa" })  // a rung the first pass did not run
        #expect(jsa.sampleRounds == [3, 4] && jsa.sampleProcesses == [1, 1])
        #expect(!jsa.verified)
    }

    /// Probes survive a merge where every pass has them (the embedded interpreter), and are dropped
    /// where one pass has none, rather than misaligned with the samples.
    @Test func probesAreKeptOnlyWhereEveryPassHasThem() {
        var withProbes = Self.rung("noop", samples: [1, 2], loops: 10)
        withProbes.probesNs = [100, 110]
        var later = Self.rung("noop", samples: [3], loops: 10)
        later.probesNs = [120]
        let first = PythonSampling.merged([], with: [withProbes], firstRound: 0, process: 0, samplesRequested: 3)
        #expect(PythonSampling.merged(first, with: [later], firstRound: 2, process: 1, samplesRequested: 3)[0].probesNs == [100, 110, 120])
        let without = Self.rung("noop", samples: [3], loops: 10)
        #expect(PythonSampling.merged(first, with: [without], firstRound: 2, process: 1, samplesRequested: 3)[0].probesNs == nil)
    }

    /// Wall times stay aligned with the samples: a pass of whole samples adds its samples as theirs.
    @Test func wallTimesStayAlignedWithTheSamples() {
        var timed = Self.rung("noop", samples: [1, 2], loops: 10)
        timed.samplesWallNs = [1.5, 2.5]
        let first = PythonSampling.merged([], with: [timed], firstRound: 0, process: 0, samplesRequested: 3)
        let whole = Self.rung("noop", samples: [3], loops: 10)
        let merged = PythonSampling.merged(first, with: [whole], firstRound: 2, process: 1, samplesRequested: 3)
        #expect(merged[0].samplesWallNs == [1.5, 2.5, 3])
        let neither = PythonSampling.merged([], with: [whole], firstRound: 0, process: 0, samplesRequested: 3)
        #expect(PythonSampling.merged(neither, with: [whole], firstRound: 1, process: 1, samplesRequested: 3)[0].samplesWallNs == nil)
    }

    /// Each pass asks for its share of the rounds and of the time budget, from the round after
    /// the last one measured, with the loops the first helper calibrated.
    @Test func eachPassAsksForItsShare() throws {
        var configuration = SweepConfiguration(sizes: [1000], kernels: [.auto], samples: 5)
        configuration.caseBudgetSeconds = 1
        let sampling = PythonSampling(configuration: configuration, n: 1000)
        let first = try #require(sampling.request(pass: 0, of: 2))
        #expect(first.samples == 3 && first.firstRound == 0 && first.loops == nil)
        #expect(first.epochsPerSample == SamplingPlan.defaultEpochs)  // timed as the native cases are
        #expect(first.caseBudgetNs == 0.6e9)
        sampling.add(
            PythonLadderResult(
                cases: [Self.rung("noop", samples: [1, 2, 3], loops: 42)], python: "3.11", numpy: "1.24", executable: "python3",
                verified: true), for: first, process: 0)
        let second = try #require(sampling.request(pass: 1, of: 2))
        #expect(second.samples == 2 && second.firstRound == 3 && second.loops == ["noop": 42])
        #expect(sampling.request(pass: 5, of: 6) == nil)  // 5 rounds over 6 passes: the last has none
    }
}
