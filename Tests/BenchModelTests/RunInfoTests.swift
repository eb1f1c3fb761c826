import BenchModel
import Foundation
import Testing

@Suite struct RunInfoTests {
    static func run(startedAt: String, endedAt: String?) -> RunInfo {
        RunInfo(
            commandLine: ["jsa-bench", "sweep"], startedAt: startedAt, endedAt: endedAt, gitCommit: nil, gitDirty: nil,
            buildConfiguration: "release", preset: nil, sizes: [1000], kernels: ["scalar"], period: 30, batchPeriods: [],
            samples: 4, minSampleMs: 1, cold: false, seed: 42)
    }

    @Test func wallSecondsSpanTheStamps() throws {
        let seconds = try #require(Self.run(startedAt: "2026-12-03T15:00:59.250Z", endedAt: "2026-12-03T15:01:01.750Z").wallSeconds)
        #expect(abs(seconds - 2.5) < 1e-9)
    }

    @Test func noEndOrABadStampHasNoWallTime() {
        #expect(Self.run(startedAt: "2026-12-03T15:00:00.000Z", endedAt: nil).wallSeconds == nil)
        #expect(Self.run(startedAt: "yesterday", endedAt: "2026-12-03T15:00:00.000Z").wallSeconds == nil)
    }

    /// What `timestamp` writes, `wallSeconds` reads back to the millisecond.
    @Test func timestampsRoundTrip() throws {
        let start = Date(timeIntervalSince1970: 1_796_310_000.125)
        let run = Self.run(startedAt: RunInfo.timestamp(start), endedAt: RunInfo.timestamp(start.addingTimeInterval(3.5)))
        #expect(run.startedAt == "2026-12-03T15:00:00.125Z")
        #expect(abs(try #require(run.wallSeconds) - 3.5) < 1e-3)
    }
}
