import BenchModel
import Foundation
import Measurement
import Statistics
import Testing
@testable import Analysis

/// A small document with made-up timings, for the pure functions that read documents.
func syntheticDocument(cases: [CaseResult]) -> ResultsDocument {
    ResultsDocument(
        run: RunInfo(
            commandLine: ["jsa-bench", "sweep"], startedAt: "2026-01-01T00:00:00Z", gitCommit: nil, gitDirty: nil,
            buildConfiguration: "release", preset: nil, sizes: [1000], kernels: ["scalar", "avx2"], period: 30,
            batchPeriods: [10], samples: 3, minSampleMs: 1, cold: false, seed: 1),
        environment: Environment.capture(), clock: ClockProfile(resolutionNs: 20, readOverheadNs: 20),
        byteModel: [:], cases: cases, complete: true)
}

func syntheticCase(
    family: String, variant: String, kernel: String?, n: Int = 1000, medianNs: Double,
    faults: Double = 0
) -> CaseResult {
    let samples = [medianNs * 0.99, medianNs, medianNs * 1.01]
    return CaseResult(
        id: "\(family)/\(variant)/\(kernel ?? "-")/n=\(n)", family: family, variant: variant, kernel: kernel,
        resolvedKernel: kernel, n: n, period: 30, periods: nil, threads: 1, bytesPerCall: 16 * n, workingSetBytes: 16 * n,
        level: "L1", iterationsPerSample: 1000, samplesNs: samples, samplesRequested: 3,
        stats: Statistics.summarize(samples, seed: 1), perElementNs: medianNs / Double(n), gbps: Double(16 * n) / medianNs,
        verified: true, verificationError: nil, rusagePerCall: ResourceUsage(minorFaults: faults))
}
