import Foundation
import JSA
import Measurement
import Testing
@testable import Sweep

@Suite struct SamplingWorkerTests {
    @Test func offersEveryVerifiedCaseAndSamplesThem() {
        let configuration = SweepConfiguration(sizes: [50, 200], kernels: [.scalar, .auto], samples: 1, minimumSampleMs: 0.05)
        let worker = SamplingWorker(configuration: configuration)
        #expect(worker.hello.protocolVersion == SamplingWorker.protocolVersion)
        #expect(worker.hello.failed.isEmpty)
        // Per size (both hold the largest batch period, 40): 3 variants × 2 kernels, 2 batches, memcpy, STREAM add.
        #expect(worker.hello.cases.count == 2 * (3 * 2 + 2 + 2))
        #expect(worker.hello.cases.contains("native/into/auto/n=200/p=30"))
        for index in worker.hello.cases.indices {
            let ns = worker.sample(index)
            #expect(ns > 0 && ns.isFinite)
        }
    }

    @Test func protocolLinesRoundTrip() {
        #expect(SamplingProtocol.Request("sample 12") == .sample(12))
        #expect(SamplingProtocol.Request(SamplingProtocol.Request.sample(3).line.trimmingCharacters(in: .newlines)) == .sample(3))
        for bad in ["", "sample", "sample x", "sample 1 2", "quit"] {
            #expect(SamplingProtocol.Request(bad) == nil, "\(bad)")
        }
        let ns = 123.456_789_012_345_6
        #expect(SamplingProtocol.decode(SamplingProtocol.encode(ns)) == ns)
        for bad in ["nan", "-1", "0", "inf", "error: unknown request 'x'"] {
            #expect(SamplingProtocol.decode(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct ABRunnerTests {
    func hello(_ cases: [String]) -> SamplingWorker.Hello {
        SamplingWorker.Hello(protocolVersion: SamplingWorker.protocolVersion, buildConfiguration: "release", cases: cases, failed: [])
    }

    @Test func comparesTheCasesBothOfferExceptSkippedOnes() {
        let outcome = ABRunner.Outcome(base: hello(["a/1", "x/1", "b/1", "gone"]), head: hello(["b/1", "new", "a/1", "x/1"]),
                                       skip: ["x/*"])
        #expect(outcome.cases.map(\.id) == ["b/1", "a/1"])
        #expect(outcome.added == ["new"] && outcome.removed == ["gone"])
        #expect(outcome.indices.map(\.base) == [2, 0] && outcome.indices.map(\.head) == [0, 2])
    }

    @Test func aProgramWithoutTheWorkerIsUnfit() {
        #expect {
            _ = try ABRunner.run(base: "/bin/true", head: "/bin/true", rounds: 2, samplesPerRound: 1, workerArguments: [])
        } throws: { error in
            (error as? ABRunner.Failure)?.unfit == true
        }
    }
}
