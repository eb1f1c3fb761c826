import BenchModel
import Foundation

/// Results documents for the history: one case per id with a blocked estimate of `value` ns.
enum HistoryFixture {
    static func environment(cpu: String = "Test CPU", l2: Int = 1 << 20) -> Environment {
        Environment(
            hostname: "runner-1", os: "Debian GNU/Linux 12", kernel: "6.1.0", cpuModel: cpu, cpuFlags: ["avx2", "sse2"],
            logicalCPUs: 2, caches: CacheTopology(l1dBytes: 32 << 10, l2Bytes: l2, l3Bytes: 32 << 20), governor: nil,
            frequencyMHz: nil, maxFrequencyMHz: nil, virtualMachine: true, hypervisor: "KVM", loadAverage: [0, 0, 0],
            memoryBytes: nil, swiftCompiler: "swift 6.3.1", cCompiler: "clang 21", buildConfiguration: "release",
            pythonVersion: nil, numpyVersion: nil)
    }

    /// A run started at `started` on `environment`, at `commit`, with each case's blocked estimate.
    static func document(
        started: String, commit: String, values: [String: Double], environment: Environment = environment()
    ) -> ResultsDocument {
        let run = RunInfo(
            commandLine: ["jsa-bench", "sweep"], startedAt: started, endedAt: started, gitCommit: commit, gitDirty: false,
            buildConfiguration: "release", preset: "quick", sizes: [1000], kernels: ["avx2"], period: 30, batchPeriods: [],
            samples: 3, minSampleMs: 1, cold: false, seed: 42)
        let cases = values.sorted { $0.key < $1.key }.map { id, value -> CaseResult in
            var c = CaseResult(
                id: id, family: "native", variant: "into", kernel: "avx2", resolvedKernel: "avx2", n: 1000, period: 30, periods: nil,
                threads: 1, bytesPerCall: 16_000, workingSetBytes: 16_000, level: "L1", iterationsPerSample: 100,
                samplesNs: [value * 0.99, value, value * 1.01], samplesRequested: 3, stats: nil, perElementNs: nil, gbps: nil,
                verified: true, verificationError: nil, rusagePerCall: ResourceUsage())
            let estimate = IntervalEstimate(value: value, ci95Low: value * 0.98, ci95High: value * 1.02)
            c.estimates = CaseEstimates(median: estimate, blocked: estimate, normalized: nil, headline: .blocked, rounds: 3, processes: 3)
            return c
        }
        return ResultsDocument(
            run: run, environment: environment, clock: ClockProfile(resolutionNs: 20, readOverheadNs: 20),
            byteModel: [:], cases: cases, complete: true)
    }

    /// `count` runs a day apart from 2026-01-01, commit `c0001`…, of one case whose value is
    /// `value(k)` for run k.
    static func series(_ count: Int, id: String = "native/into/avx2/n=1000/p=30", value: (Int) -> Double) -> [ResultsDocument] {
        (0..<count).map { k in
            let day = Calendar(identifier: .gregorian).date(byAdding: .hour, value: k, to: Date(timeIntervalSince1970: 1_767_225_600))!
            let started = ISO8601DateFormatter().string(from: day)
            return document(started: started, commit: String(format: "c%04d", k), values: [id: value(k)])
        }
    }

    static func temporaryStore() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID()).sqlite").path
    }
}
