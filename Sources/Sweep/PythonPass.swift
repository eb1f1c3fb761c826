import Measurement
import Results

/// Whether a sweep runs the Python FFI ladder.
public enum PythonMode: String, Sendable {
    /// Native cases only (`sweep --no-python`).
    case off
    /// Every native case, then the ladder at each size (`sweep`).
    case alongside
    /// Only the native direct-write `auto` case the ladder is compared with, then the ladder
    /// (`jsa-bench python`).
    case only
}

/// The Python ladder of one size as results: one `python` case per rung (timed by the helper
/// process), and their differences.
enum PythonPass {
    /// What to ask the helper for at `n`: every rung, `jsa_batch` when n holds its periods and its
    /// output fits the memory cap.
    static func request(n: Int, configuration: SweepConfiguration) -> PythonLadderRequest {
        let periods = configuration.batchPeriods
        let batchBytes = periods.count * n * MemoryLayout<Double>.stride
        return PythonLadderRequest(
            n: n, period: configuration.period, samples: configuration.samples,
            minimumSampleNs: configuration.minimumSampleMs * 1e6, seed: configuration.seed,
            batch: periods.maximum <= n && batchBytes <= configuration.maximumBatchOutputBytes)
    }

    /// The ladder's differences at one size, against its native rung (the kernel called from C in
    /// the interpreter's process).
    static func summarize(_ cases: [CaseResult], n: Int) -> PythonSizeSummary? {
        func median(_ variant: String) -> Double? {
            cases.first { $0.family == "python" && $0.variant == variant && $0.n == n }?.stats?.medianNs
        }
        guard let nativeNs = median("native_out"), let empty = median("empty_loop"), let noop = median("noop"),
              let acquireOut = median("acquire_out"), let allocation = median("numpy_empty"), let jsaOut = median("jsa_out"), let jsa = median("jsa"),
              let copy = median("jsa_copy"), let baseline = median("numpy_baseline"), let naive = median("numpy_naive"),
              let faults = cases.first(where: { $0.variant == "jsa" && $0.n == n })?.rusagePerCall.minorFaults
        else { return nil }
        return PythonSizeSummary(
            n: n, nativeIntoNs: nativeNs, overheadOutNs: jsaOut - nativeNs, overheadAllocNs: jsa - nativeNs,
            overheadOutFraction: (jsaOut - nativeNs) / jsaOut, callAndParsingNs: noop - empty,
            bufferAcquisitionNs: acquireOut - noop, outputAllocationNs: allocation - empty, emptyLoopNs: empty,
            pageFaultsPerCall: faults, speedupOverNumpy: baseline / jsaOut, speedupOverNaiveNumpy: naive / jsa,
            copyToDirectSavingPercent: 100 * (copy - jsa) / copy, allocToOutSavingPercent: 100 * (jsa - jsaOut) / jsa)
    }
}
