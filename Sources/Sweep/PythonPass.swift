import BenchModel
import Measurement

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
            batch: periods.maximum <= n && batchBytes <= configuration.maximumBatchOutputBytes,
            caseBudgetNs: configuration.caseBudgetSeconds * 1e9)
    }
}
