import BenchModel
import Foundation
import Testing

@Suite struct RunLevelSpreadTests {
    static let machine = MachineClass(
        cpuModel: "AMD EPYC", logicalCPUs: 2, caches: CacheTopology(l1dBytes: 32768, l2Bytes: 524_288, l3Bytes: 8_388_608),
        disabledCPUFeatures: [])
    static let spread = RunLevelSpread(
        sd: 0.012, levels: [0.01, -0.012, 0.002], measuredAt: "2026-12-04T06:00:00.000Z", machine: machine, epochsPerSample: 8)

    /// A run records the spread it was given, and reads back the same; a run written before the
    /// field existed reads as given none.
    @Test func theRunLevelRoundTripsInRunInfoAndIsAbsentInOlderRuns() throws {
        var run = RunInfoTests.run(startedAt: "2026-12-04T06:01:00.000Z", endedAt: nil)
        let older = try JSONDecoder().decode(RunInfo.self, from: JSONEncoder().encode(run))
        #expect(older.runLevel == nil)
        run.runLevel = Self.spread
        run.runLevel?.source = "Reports/reproducibility/reproducibility.json"
        let data = try JSONEncoder().encode(run)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let level = try #require(json["run_level"] as? [String: Any])
        #expect(level["epochs_per_sample"] as? Int == 8)
        #expect((level["machine"] as? [String: Any])?["cpu_model"] as? String == "AMD EPYC")
        #expect(try JSONDecoder().decode(RunInfo.self, from: data).runLevel == run.runLevel)
    }

    /// A spread written before runs were set apart has no `apart`, and reads with none apart; one
    /// written before the within-run standard error has none; a measured one round-trips.
    @Test func aSpreadWithoutApartReadsWithNoneApart() throws {
        let data = try JSONEncoder().encode(Self.spread)
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(json.removeValue(forKey: "apart") != nil)
        let older = try JSONDecoder().decode(RunLevelSpread.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(older == Self.spread)
        #expect(older.runsNotApart == 3)
        var measured = Self.spread
        measured.withinRunSE = 0.0006
        let withSE = try JSONSerialization.jsonObject(with: JSONEncoder().encode(measured)) as! [String: Any]
        #expect(withSE["within_run_se"] as? Double == 0.0006)
        #expect(try JSONDecoder().decode(RunLevelSpread.self, from: JSONEncoder().encode(measured)) == measured)
        var withApart = Self.spread
        withApart.apart = [2]
        #expect(try JSONDecoder().decode(RunLevelSpread.self, from: JSONEncoder().encode(withApart)).apart == [2])
    }

    /// A spread serves runs of its own machine class timed alike; otherwise every differing field
    /// is named with both values. The CPU-feature cap counts only where both recorded it.
    @Test func unfitnessNamesEveryDifferingField() {
        #expect(Self.spread.unfitness(machine: Self.machine, epochsPerSample: 8).isEmpty)
        var other = Self.machine
        other.cpuModel = "Intel Xeon"
        other.caches.l2Bytes = 2_097_152
        #expect(
            Self.spread.unfitness(machine: other, epochsPerSample: 1) == [
                "cpu_model differs ('AMD EPYC' vs 'Intel Xeon')", "caches.l2_bytes differs (524288 vs 2097152)",
                "run.epochs_per_sample differs (8 vs 1)"
            ])
        var capped = Self.machine
        capped.disabledCPUFeatures = ["avx2"]
        #expect(Self.spread.unfitness(machine: capped, epochsPerSample: 8) == ["disabled_cpu_features differs (none vs avx2)"])
        capped.disabledCPUFeatures = nil
        #expect(Self.spread.unfitness(machine: capped, epochsPerSample: 8).isEmpty)
    }
}
