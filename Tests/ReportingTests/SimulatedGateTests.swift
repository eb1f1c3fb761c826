import Analysis
import BenchModel
import Foundation
import Testing

@testable import Reporting

/// Gating on the cache simulation's metrics with synthetic baselines: deterministic counts, so
/// each verdict is the change against the metric's threshold (relative or absolute).
@Suite struct SimulatedGateTests {
    /// A document with one native case whose simulated counts per call are `counts` (n = 100000).
    static func document(_ counts: [String: Double], geometry: SimulatedCacheGeometry = .portable, cold: Bool = false) -> ResultsDocument {
        var document = Fixture.complete()
        var c = Fixture.timed("native", "into", "avx2", n: 100_000, median: 50_000)
        let calls = 3.0
        c.simulated = SimulatedCounts(
            totals: counts.mapValues { $0 * calls }, calls: Int(calls), n: 100_000, lineBytes: 64, resolvedKernel: "avx2",
            fpMix: FPInstructionMix(scalar: 4, packed256: 49_984))
        c.instructions = InstructionCount(
            calls: 3, perCall: counts["Ir"], perElement: counts["Ir"].map { $0 / 100_000 }, resolvedKernel: "avx2",
            unavailableReason: nil)
        document.cases = [c]
        document.cacheSimulation = CacheSimulationSetup(
            tool: "callgrind-3.19.0", geometry: geometry, geometrySource: "set", cold: cold, callsPerCase: 3,
            singleCallAboveElements: 1_000_000)
        return document
    }

    /// The AVX2 kernel at n = 100000, warm, beyond D1: a quarter of a miss per element.
    static let baseline: [String: Double] = [
        "Ir": 162_775, "Dr": 50_000, "Dw": 25_000, "I1mr": 0, "D1mr": 12_512, "D1mw": 12_502, "ILmr": 0, "DLmr": 0, "DLmw": 0,
        "Bc": 25_000, "Bcm": 2, "Bi": 0, "Bim": 0
    ]

    static func changed(_ changes: [String: Double]) -> [String: Double] {
        baseline.merging(changes) { _, new in new }
    }

    func verdict(_ head: [String: Double], metric: ComparisonMetric, thresholds: Thresholds = Thresholds()) -> CaseVerdict.Verdict? {
        RunComparison.compare(base: Self.document(Self.baseline), head: Self.document(head), metric: metric, thresholds: thresholds)
            .cases.first?.verdict
    }

    @Test(arguments: [ComparisonMetric.instructions, .estimatedCycles, .d1Misses, .llMisses])
    func theSameCountsPass(metric: ComparisonMetric) {
        #expect(verdict(Self.baseline, metric: metric) == .unchanged)
    }

    /// An extra pass over the output: one more read miss per line (0.125 per element) and a few
    /// instructions per line — under the 1% instruction threshold, caught on D1 misses.
    @Test func anExtraPassOverTheOutputIsCaughtOnD1MissesWhereInstructionsBarelyMove() {
        let extraPass = Self.changed(["Ir": 162_775 + 1_500, "D1mr": 12_512 + 12_500, "Dr": 50_000 + 12_500])
        #expect(verdict(extraPass, metric: .instructions) == .unchanged)
        #expect(verdict(extraPass, metric: .d1Misses) == .slower)
        #expect(verdict(extraPass, metric: .estimatedCycles) == .slower)
        #expect(verdict(extraPass, metric: .llMisses) == .unchanged)
    }

    @Test func estimatedCyclesAreJudgedAgainstTwoPercent() {
        // 1000 more D1 misses: 10 000 estimated cycles on 412 915, +2.4%.
        #expect(verdict(Self.changed(["D1mw": 12_502 + 1000]), metric: .estimatedCycles) == .slower)
        // 500 more: +1.2%.
        #expect(verdict(Self.changed(["D1mw": 12_502 + 500]), metric: .estimatedCycles) == .unchanged)
        #expect(verdict(Self.changed(["D1mr": 2_000]), metric: .estimatedCycles) == .faster)
    }

    @Test func missesPerElementHaveAnAbsoluteThreshold() {
        // From zero LL misses: no ratio to take, the absolute change decides.
        #expect(verdict(Self.changed(["DLmr": 2_000]), metric: .llMisses) == .slower)  // +0.02 per element
        #expect(verdict(Self.changed(["DLmr": 500]), metric: .llMisses) == .unchanged)  // +0.005
        let looser = Thresholds(overrides: [.init(pattern: "native/*", metric: .llMisses, threshold: 0.05)])
        #expect(verdict(Self.changed(["DLmr": 2_000]), metric: .llMisses, thresholds: looser) == .unchanged)
        #expect(verdict(Self.changed(["D1mr": 2_000]), metric: .d1Misses) == .faster)
    }

    @Test func aThresholdWithoutAMetricLeavesTheAbsoluteOnesAlone() throws {
        let overrides = try Thresholds.parseConfig("native/* 10%\nnative/* 0.2 d1_misses\n")
        let thresholds = Thresholds(overrides: overrides)
        #expect(thresholds.threshold(for: "native/into/avx2/n=1/p=30", metric: .estimatedCycles) == 0.10)
        #expect(thresholds.threshold(for: "native/into/avx2/n=1/p=30", metric: .d1Misses) == 0.2)
        #expect(thresholds.threshold(for: "native/into/avx2/n=1/p=30", metric: .llMisses) == 0.01)
        #expect(Thresholds.parseOverride("*=0.02:ll_misses") == .init(pattern: "*", metric: .llMisses, threshold: 0.02))
        #expect(throws: Thresholds.ConfigError.self) { try Thresholds.parseConfig("* 1% l2_misses") }
    }

    @Test func runsWithOtherSimulatedCachesOrColdAgainstWarmAreUnfit() {
        var geometry = SimulatedCacheGeometry.portable
        geometry.ll = SimulatedCache(sizeBytes: 16 << 20, associativity: 16, lineBytes: 64)
        let base = Self.document(Self.baseline)
        let otherCaches = Gate.unfitness(base: base, head: Self.document(Self.baseline, geometry: geometry), metric: .d1Misses)
        #expect(otherCaches.contains { $0.hasPrefix("cache_simulation.geometry differs") })
        let cold = Gate.unfitness(base: base, head: Self.document(Self.baseline, cold: true), metric: .llMisses)
        #expect(cold == ["cache_simulation.cold differs (false vs true)"])
        // Instruction counts do not depend on the simulated caches.
        #expect(Gate.unfitness(base: base, head: Self.document(Self.baseline, geometry: geometry), metric: .instructions).isEmpty)
    }

    @Test func severalMetricsGiveOneOutcome() throws {
        let base = Self.document(Self.baseline)
        let head = Self.document(Self.changed(["D1mr": 12_512 + 12_500]))
        let comparisons = [ComparisonMetric.instructions, .d1Misses].map {
            RunComparison.compare(base: base, head: head, metric: $0, thresholds: Thresholds())
        }
        #expect(Gate.outcome(of: comparisons) == .regression)
        #expect(Gate.outcome(of: [comparisons[0]]) == .pass)
        let text = try Gate.render(comparisons, format: .text, outcome: .regression)
        #expect(text.contains("== instructions") && text.contains("== d1_misses"))
        #expect(text.contains("0.2501 → 0.3751 D1 misses/element (+0.1250; threshold 0.0100)"))
        #expect(text.hasSuffix("gate: 1 passed, 1 failed, 0 skipped\n"))
        let json = try Gate.render(comparisons, format: .json)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["metric"] as? String } == ["instructions", "d1_misses"])
    }
}
