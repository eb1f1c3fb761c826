import Foundation
import Testing

@testable import BenchModel

struct CacheSimulationTests {
    @Test func estimatedCyclesFollowTheStatedFormula() {
        let counts: [String: Double] = ["Ir": 1000, "I1mr": 1, "D1mr": 2, "D1mw": 3, "ILmr": 1, "DLmr": 1, "DLmw": 0]
        // Ir + 10 × (1 + 2 + 3) + 100 × (1 + 1 + 0)
        #expect(EstimatedCycles.estimate(counts) == 1260)
        #expect(EstimatedCycles.formula == "Ir + 10 × (I1mr + D1mr + D1mw) + 100 × (ILmr + DLmr + DLmw)")
        var missing = counts
        missing["DLmw"] = nil
        #expect(EstimatedCycles.estimate(missing) == nil)
    }

    @Test func countsAreDividedByCallsAndDerivedPerElement() {
        let totals: [String: Double] = [
            "Ir": 3000, "Dr": 0, "Dw": 0, "I1mr": 0, "D1mr": 300, "D1mw": 150, "ILmr": 0, "DLmr": 60, "DLmw": 30, "Bc": 600,
            "Bcm": 6, "Bi": 0, "Bim": 0
        ]
        let counts = SimulatedCounts(totals: totals, calls: 3, n: 100, lineBytes: 64, resolvedKernel: "avx2", fpMix: nil)
        #expect(counts[.ir] == 1000)
        #expect(counts.instructionsPerElement == 10)
        #expect(counts.d1MissesPerElement == 1.5)  // (100 + 50) / 100
        #expect(counts.llMissesPerElement == 0.3)  // (20 + 10) / 100
        #expect(counts.bytesFromMemoryPerElement == 0.3 * 64)
        #expect(counts.branchMispredictionRate == 0.01)
        let estimated = counts.estimatedCyclesPerCall ?? 0
        #expect(abs(estimated - (1000 + 10 * 150 + 100 * 30)) < 1e-9, "\(estimated - 5500)")
    }

    @Test func theMixGivesSharesAndDoublesPerInstruction() {
        let avx2 = FPInstructionMix(scalar: 4, packed256: 484)
        #expect(avx2.total == 488)
        #expect(avx2.shares?["256"] == 484.0 / 488)
        #expect(abs((avx2.doublesPerInstruction ?? 0) - (4 + 4 * 484) / 488.0) < 1e-12)
        #expect(FPInstructionMix().shares == nil)
        #expect(FPInstructionMix(packed512: 10).doublesPerInstruction == 8)
    }

    @Test func theSimulationRoundTripsThroughJSON() throws {
        let setup = CacheSimulationSetup(
            tool: "callgrind-3.19.0", geometry: .portable, geometrySource: "set", cold: false, callsPerCase: 3,
            singleCallAboveElements: 1_000_000)
        var counts = SimulatedCounts(
            totals: ["Ir": 30, "Bc": 3, "Bcm": 0], calls: 3, n: 10, lineBytes: 64, resolvedKernel: "scalar",
            fpMix: FPInstructionMix(scalar: 20))
        counts.vectorWidthMismatch = "x"
        let data = try JSONEncoder().encode([setup])
        #expect(try JSONDecoder().decode([CacheSimulationSetup].self, from: data) == [setup])
        let text = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        #expect(text.contains("\"fp_mix\"") && text.contains("\"vector_width_mismatch\"") && text.contains("\"per_call\""))
        #expect(try JSONDecoder().decode(SimulatedCounts.self, from: Data(text.utf8)) == counts)
    }

    @Test func portableGeometryIsWhatValgrindAccepts() {
        for level in SimulatedCacheGeometry.Level.allCases {
            let cache = SimulatedCacheGeometry.portable[level]
            let sets = cache.sizeBytes / (cache.associativity * cache.lineBytes)
            #expect(sets > 0 && sets & (sets - 1) == 0)
            #expect(cache.valgrindValue == "\(cache.sizeBytes),\(cache.associativity),\(cache.lineBytes)")
        }
    }
}
