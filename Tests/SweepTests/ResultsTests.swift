import Foundation
import Measurement
import Results
import Statistics
import Testing
@testable import Sweep

/// A small document with made-up timings, for the pure functions that read documents.
func syntheticDocument(cases: [CaseResult]) -> ResultsDocument {
    ResultsDocument(
        run: RunInfo(commandLine: ["jsa-bench", "sweep"], startedAt: "2026-01-01T00:00:00Z", gitCommit: nil, gitDirty: nil,
                     buildConfiguration: "release", preset: nil, sizes: [1000], kernels: ["scalar", "avx2"], period: 30,
                     batchPeriods: [10], samples: 3, minSampleMs: 1, cold: false, seed: 1),
        environment: Environment.capture(), clock: ClockProfile(resolutionNs: 20, readOverheadNs: 20),
        byteModel: SweepCaseFactory.byteModel, cases: cases, complete: true)
}

func syntheticCase(family: String, variant: String, kernel: String?, n: Int = 1000, medianNs: Double,
                   faults: Double = 0) -> CaseResult {
    let samples = [medianNs * 0.99, medianNs, medianNs * 1.01]
    return CaseResult(
        id: "\(family)/\(variant)/\(kernel ?? "-")/n=\(n)", family: family, variant: variant, kernel: kernel,
        resolvedKernel: kernel, n: n, period: 30, periods: nil, threads: 1, bytesPerCall: 16 * n, workingSetBytes: 16 * n,
        level: "L1", iterationsPerSample: 1000, samplesNs: samples, samplesRequested: 3,
        stats: Statistics.summarize(samples, seed: 1), perElementNs: medianNs / Double(n), gbps: Double(16 * n) / medianNs,
        verified: true, verificationError: nil, rusagePerCall: ResourceUsage(minorFaults: faults))
}

@Suite struct DerivationTests {
    @Test func fractionsSpeedupsAndAllocationOverhead() {
        var cases = [
            syntheticCase(family: "native", variant: "into", kernel: "scalar", medianNs: 400),
            syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100),
            syntheticCase(family: "native", variant: "alloc", kernel: "avx2", medianNs: 125),
            syntheticCase(family: "native", variant: "alloc", kernel: "scalar", medianNs: 500),
            syntheticCase(family: "native", variant: "into_aliased", kernel: "avx2", medianNs: 150),
            syntheticCase(family: "batch", variant: "single_thread", kernel: "auto", medianNs: 3000),
            syntheticCase(family: "batch", variant: "all_cores", kernel: "auto", medianNs: 2000),
            syntheticCase(family: "reference", variant: "memcpy", kernel: nil, medianNs: 80),
            syntheticCase(family: "reference", variant: "stream_add", kernel: nil, medianNs: 200),
        ]
        Derivation.derive(&cases)
        let avx2 = cases[1].derived
        #expect(avx2.fractionOfMemcpy == 1.25 && avx2.fractionOfStreamAdd == 0.5 && avx2.speedupOverScalar == 4)
        #expect(avx2.allocOverheadNs == nil)
        let alloc = cases[2].derived
        #expect(alloc.allocOverheadNs == 25 && alloc.allocOverheadPercent == 25)
        #expect(alloc.speedupOverScalar == 4)  // against alloc/scalar
        #expect(cases[4].derived.aliasingPenaltyPercent == 50)
        #expect(cases[6].derived.speedupOverSingleThread == 1.5)
        #expect(cases[7].derived == DerivedMetrics())
    }
}

@Suite struct ResultsFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID())")

    func write(_ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("r.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func roundTripsThroughJSON() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = syntheticDocument(cases: [syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)])
        let path = try write("")
        try ResultsFile.write(document, to: path)
        let read = try ResultsFile.read(path)
        #expect(read.schema == ResultsDocument.schemaVersion)
        #expect(read.cases.count == 1 && read.cases[0].samplesNs == document.cases[0].samplesNs)
        #expect(read.cases[0].stats == document.cases[0].stats)
        #expect(read.environment == document.environment && read.clock == document.clock)
        #expect(try ResultsFile.encode(read) == ResultsFile.encode(document))
    }

    @Test func badFilesNameTheFirstProblem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ResultsFile.ReadError.self) { try ResultsFile.read("/nonexistent/r.json") }
        let truncated = try write("{\"schema\": \"jsa-bench/res")
        #expect(messageOfReading(truncated).hasSuffix("not a JSON object (truncated or not a results file)"))
        let other = try write("{\"schema\": \"jsa-bench/results/v0\"}")
        #expect(messageOfReading(other).hasSuffix("schema 'jsa-bench/results/v0', expected 'jsa-bench/results/v1' or 'jsa-bench/results/v2'"))
        let document = syntheticDocument(cases: [syntheticCase(family: "native", variant: "into", kernel: "avx2", medianNs: 100)])
        var object = try JSONSerialization.jsonObject(with: ResultsFile.encode(document)) as! [String: Any]
        var cases = object["cases"] as! [[String: Any]]
        cases[0].removeValue(forKey: "samples_ns")
        object["cases"] = cases
        let missing = try write(String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(messageOfReading(missing).hasSuffix("missing field 'cases[0].samples_ns'"))
    }

    func messageOfReading(_ path: String) -> String {
        do {
            _ = try ResultsFile.read(path)
            return "read without error"
        } catch {
            return error.description
        }
    }
}

@Suite struct PythonPassTests {
    /// The rungs of one size, with made-up medians (ns per loop iteration).
    func ladder(n: Int, native: Double, jsaOut: Double, faults: Double = 0) -> [CaseResult] {
        let medians: [(String, Double)] = [
            ("native_out", native), ("empty_loop", 10), ("noop", 30), ("acquire_out", 38), ("numpy_empty", 110),
            ("jsa_out", jsaOut), ("jsa", jsaOut + 100), ("jsa_copy", jsaOut + 200), ("numpy_baseline", 20 * jsaOut),
            ("numpy_naive", 15 * jsaOut),
        ]
        return medians.map { variant, median in
            syntheticCase(family: "python", variant: variant, kernel: nil, n: n, medianNs: median,
                          faults: variant == "jsa" ? faults : 0)
        }
    }

    /// Every rung runs in a Python `for` loop; the call's overhead leaves that loop out.
    @Test func overheadsLeaveOutTheLoopAndSplitTheCall() throws {
        let summary = try #require(PythonPass.summarize(ladder(n: 1000, native: 90, jsaOut: 130), n: 1000))
        #expect(summary.emptyLoopNs == 10)
        #expect(summary.overheadOutNs == 40 && summary.overheadAllocNs == 140)  // per loop iteration, minus native
        #expect(summary.callOverheadOutNs == 30)        // 130 − 10 (loop) − 90 (native)
        #expect(summary.callOverheadAllocNs == 130)     // 230 − 10 − 90
        #expect(summary.overheadOutFraction == 40.0 / 130 && summary.callOverheadOutFraction == 30.0 / 120)
        #expect(summary.callAndParsingNs == 20 && summary.bufferAcquisitionNs == 8 && summary.outputAllocationNs == 100)
        #expect(summary.speedupOverNumpy == 20 && summary.speedupOverNaiveNumpy == 15 * 130 / 230)
        #expect(summary.copyToDirectSavingPercent == 100 * 100 / 330.0)
        #expect(summary.allocToOutSavingPercent == 100 * 100 / 230.0)
    }

    @Test func aMissingRungGivesNoSummary() {
        let rungs = ladder(n: 1000, native: 90, jsaOut: 130).filter { $0.variant != "noop" }
        #expect(PythonPass.summarize(rungs, n: 1000) == nil)
    }

    /// The smallest size from which every larger measured size stays under 5%.
    @Test func overheadUnder5PercentFromTheLastCrossing() throws {
        let sizes = try [(1000, 130.0), (10_000, 1_160.0), (100_000, 11_100.0), (1_000_000, 100_050.0)].map { n, jsaOut in
            try #require(PythonPass.summarize(ladder(n: n, native: jsaOut - 50, jsaOut: jsaOut), n: n))
        }
        // Overheads (40 ns) against calls of 120 ns, 1.15 µs, 11.09 µs, 100.04 µs: under 5% from n = 10000.
        #expect(PythonReport.overheadUnder5PercentFrom(sizes) == 10_000)
        #expect(PythonReport.overheadUnder5PercentFrom(Array(sizes.prefix(1))) == nil)
    }
}
