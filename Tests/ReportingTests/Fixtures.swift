import BenchModel
import Foundation
import Measurement
import Statistics

/// Results documents with made-up but consistent numbers, for the report, charts and exports.
enum Fixture {
    static let caches = CacheTopology(l1dBytes: 32 << 10, l2Bytes: 1 << 20, l3Bytes: 32 << 20)

    static func environment() -> Environment {
        var environment = Environment.capture()
        environment.caches = caches
        environment.cpuModel = "Test CPU"
        environment.buildConfiguration = "release"
        return environment
    }

    static func timed(
        _ family: String, _ variant: String, _ kernel: String?, n: Int, median: Double,
        faults: Double = 0, bytesPerElement: Int = 16
    ) -> CaseResult {
        let samples = [median * 0.99, median, median * 1.01, median, median * 1.02]
        let id = kernel.map { "\(family)/\(variant)/\($0)/n=\(n)/p=30" } ?? "\(family)/\(variant)/n=\(n)"
        return CaseResult(
            id: id, family: family, variant: variant, kernel: kernel, resolvedKernel: kernel == "auto" ? "avx512" : kernel,
            n: n, period: kernel == nil ? nil : 30, periods: nil, threads: 1, bytesPerCall: bytesPerElement * n,
            workingSetBytes: bytesPerElement * n, level: caches.level(ofWorkingSet: bytesPerElement * n).rawValue,
            iterationsPerSample: 100, samplesNs: samples, samplesRequested: samples.count,
            stats: Statistics.summarize(samples, seed: 1), perElementNs: median / Double(n),
            gbps: Double(bytesPerElement * n) / median, verified: true, verificationError: nil,
            rusagePerCall: ResourceUsage(minorFaults: faults))
    }

    /// Medians (ns) of the direct-write kernels, memcpy and STREAM add per size.
    static let medians: [Int: [String: Double]] = [
        1000: ["scalar": 400, "avx2": 100, "avx512": 125, "auto": 125, "memcpy": 80, "stream_add": 90],
        32768: ["scalar": 12_000, "avx2": 5_000, "avx512": 5_200, "auto": 5_200, "memcpy": 5_000, "stream_add": 8_000],
        8_388_608: ["scalar": 5e6, "avx2": 5.1e6, "avx512": 5.2e6, "auto": 5.2e6, "memcpy": 5.5e6, "stream_add": 8e6]
    ]

    static func nativeCases() -> [CaseResult] {
        var cases: [CaseResult] = []
        for (n, m) in medians.sorted(by: { $0.key < $1.key }) {
            for kernel in ["scalar", "avx2", "avx512", "auto"] {
                var into = timed("native", "into", kernel, n: n, median: m[kernel]!)
                into.derived.fractionOfMemcpy = m[kernel]! / m["memcpy"]!
                into.derived.fractionOfStreamAdd = m[kernel]! / m["stream_add"]!
                into.derived.speedupOverScalar = m["scalar"]! / m[kernel]!
                let faults = n > 1_000_000 ? 32_770.0 : 0
                let allocMedian = faults > 0 ? 6 * m[kernel]! : m[kernel]! + 50
                var alloc = timed("native", "alloc", kernel, n: n, median: allocMedian, faults: faults)
                alloc.derived.allocOverheadNs = allocMedian - m[kernel]!
                alloc.derived.allocOverheadPercent = 100 * (allocMedian - m[kernel]!) / m[kernel]!
                var aliased = timed("native", "into_aliased", kernel, n: n, median: m[kernel]! * 1.2)
                aliased.derived.aliasingPenaltyPercent = 20
                var offset = timed("native", "into_offset", kernel, n: n, median: m[kernel]! * 1.1)
                offset.derived.offsetInputPenaltyPercent = 10
                cases += [alloc, into, aliased, offset]
            }
            cases.append(timed("reference", "memcpy", nil, n: n, median: m["memcpy"]!))
            cases.append(timed("reference", "stream_add", nil, n: n, median: m["stream_add"]!, bytesPerElement: 24))
        }
        return cases
    }

    static func pythonReport() -> PythonReport {
        PythonReport(
            python: "3.11.2", numpy: "1.24.2", executable: "/usr/bin/python3", unavailableReason: nil,
            sizes: [
                PythonSizeSummary(
                    n: 1000, nativeIntoNs: 125, overheadOutNs: 40, overheadAllocNs: 110, overheadOutFraction: 40.0 / 165,
                    callAndParsingNs: 25, bufferAcquisitionNs: 12, outputAllocationNs: 100, emptyLoopNs: 11,
                    pageFaultsPerCall: 0, speedupOverNumpy: 14.25, speedupOverNaiveNumpy: 7.5,
                    copyToDirectSavingPercent: 40, allocToOutSavingPercent: 30),
                PythonSizeSummary(
                    n: 32768, nativeIntoNs: 5200, overheadOutNs: 60, overheadAllocNs: 400, overheadOutFraction: 60.0 / 5260,
                    callAndParsingNs: 25, bufferAcquisitionNs: 12, outputAllocationNs: 100, emptyLoopNs: 11,
                    pageFaultsPerCall: 0, speedupOverNumpy: 1.9, speedupOverNaiveNumpy: 1.8,
                    copyToDirectSavingPercent: 45, allocToOutSavingPercent: 6)
            ],
            overheadUnder5PercentFrom: 32768)
    }

    static func counterReport() -> CounterReport {
        CounterReport(
            events: CounterGroup.core.events.map { CounterEvent(name: $0, group: "core", available: true) },
            papi: PAPILibrary.Inventory(
                version: "7.0.0", initError: nil,
                components: [
                    PAPILibrary.Component(
                        index: 0, name: "perf_event", enabled: true,
                        disabledReason: nil, counters: 6, nativeEvents: 200)
                ],
                availablePresets: 50, nativeEvents: 200))
    }

    /// Everything: native, references, counters, callgrind counts and Python.
    static func complete() -> ResultsDocument {
        var cases = nativeCases()
        let counted = cases.firstIndex { $0.id == "native/into/avx2/n=1000/p=30" }!
        let perCall = [CounterName.cycles: 260.0, CounterName.referenceCycles: 260, CounterName.instructions: 520]
        cases[counted].counters = CaseCounters(
            perCall: perCall, coverage: [:], multiplexed: false,
            derived: CounterMetrics(perCall: perCall, elements: 1000, bytesPerCall: 16_000, nsPerCall: 100, multiplexed: false))
        let scalar = cases.firstIndex { $0.id == "native/into/scalar/n=1000/p=30" }!
        cases[scalar].instructions = InstructionCount(
            calls: 3, perCall: 8117, perElement: 8.117, resolvedKernel: "scalar",
            unavailableReason: nil)
        var document = ResultsDocument(
            run: RunInfo(
                commandLine: ["jsa-bench", "sweep", "--preset", "default"], startedAt: "2026-11-27T10:00:00Z",
                endedAt: "2026-11-27T10:01:00Z", gitCommit: String(repeating: "a", count: 40), gitDirty: false,
                buildConfiguration: "release", preset: "default", sizes: [1000, 32768, 8_388_608],
                kernels: ["scalar", "avx2", "avx512", "auto"], period: 30, batchPeriods: Array(10...40), samples: 5,
                minSampleMs: 1, cold: false, seed: 42),
            environment: environment(), clock: ClockProfile(resolutionNs: 20, readOverheadNs: 23), byteModel: [:],
            cases: cases, diagnostics: [Diagnostic(.warning, "virtual_machine", "running in a virtual machine")], complete: true)
        document.counters = counterReport()
        document.python = pythonReport()
        return document
    }

    /// `complete()` with the cache simulation in the portable geometry: scalar and AVX2 direct-write
    /// cases counted (no misses at n = 1000, a quarter per element beyond D1, and beyond LL at the
    /// largest size), the AVX-512 ones not simulable.
    static func simulated() -> ResultsDocument {
        var document = complete()
        document.cacheSimulation = CacheSimulationSetup(
            tool: "callgrind-3.19.0", geometry: .portable, geometrySource: "set", cold: false, callsPerCase: 3,
            singleCallAboveElements: 1_000_000)
        for index in document.cases.indices {
            guard case .native(.into, let kernel)? = document.cases[index].kind else { continue }
            let n = Double(document.cases[index].n)
            switch kernel {
            case .avx512:
                document.cases[index].simulated = SimulatedCounts(
                    unavailable: "not measurable under valgrind, which cannot execute AVX-512", resolvedKernel: nil)
            case .scalar, .avx2, .auto:
                let d1 = n > 2048 ? 0.25 * n : 0
                let ll = n > 524_288 ? 0.25 * n : 0
                let ir = kernel == .scalar ? 8 * n : 1.63 * n
                let fp = kernel == .scalar ? FPInstructionMix(scalar: 2 * n) : FPInstructionMix(packed256: n / 2)
                document.cases[index].simulated = SimulatedCounts(
                    totals: [
                        "Ir": ir, "I1mr": 0, "D1mr": d1 / 2, "D1mw": d1 / 2, "ILmr": 0, "DLmr": ll / 2, "DLmw": ll / 2, "Bc": n / 4,
                        "Bcm": 1
                    ], calls: 1, n: Int(n), lineBytes: 64, resolvedKernel: kernel == .scalar ? "scalar" : "avx2", fpMix: fp)
            }
        }
        return document
    }

    static func withoutCounters() -> ResultsDocument {
        var document = complete()
        document.counters = nil
        document.cases = document.cases.map {
            var c = $0
            c.counters = nil
            c.instructions = nil
            return c
        }
        return document
    }

    static func withoutPython() -> ResultsDocument {
        var document = complete()
        document.python = nil
        return document
    }

    static func failedVerification() -> ResultsDocument {
        var document = complete()
        let index = document.cases.firstIndex { $0.id == "native/into/avx512/n=32768/p=30" }!
        document.cases[index].verified = false
        document.cases[index].verificationError = "index 7: got 1.0, expected 2.0"
        document.cases[index].stats = nil
        document.cases[index].samplesNs = []
        return document
    }
}
