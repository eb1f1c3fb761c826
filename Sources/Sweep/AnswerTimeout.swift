import BenchModel
import Foundation
import Measurement

/// How long jsa-bench waits for an answer from a process that measures for it (a sampling worker,
/// the Python helper) before it takes the process for hung and terminates it: `baseSeconds` for
/// what does not grow with the samples (building and verifying a DRAM-sized size's cases takes
/// seconds), plus `secondsPerSample` for every sample the answer needs.
///
/// A fixed limit failed answers that were only long (2026-12-05, Zen 5 guest): with
/// `--min-sample-ms 500` and two kernels (17 cases) a worker's hello — every case calibrated —
/// took more than a limit of 5 s, and at the 10 s samples the sweep accepts
/// (`sweep --sizes 1000 --kernels scalar --min-sample-ms 10000 --samples 2 --processes 1`) the
/// fixed 300 s failed the only worker before its first round: no samples, exit 71.
public struct AnswerTimeout: Sendable, Equatable {
    /// The variable that sets `baseSeconds` (seconds, a positive number).
    public static let variable = "JSA_BENCH_WORKER_TIMEOUT"
    /// `baseSeconds` where the variable is not set.
    public static let defaultBaseSeconds = 300.0
    /// Samples' time calibrating one case takes at most: `Calibration` grows the calls until a
    /// batch lasts a sample (the last batch up to 1.4× it, those before it at most as long), twice.
    public static let calibrationSamples = 5

    /// Seconds for what does not grow with the samples.
    public let baseSeconds: Double
    /// Seconds one sample may take: twice its minimum (a calibrated sample lasts up to 1.4× it,
    /// and each is timed in epochs with a speed probe before it) and the fast-level waits' budget
    /// on top, with at least 1 ms of minimum.
    public let secondsPerSample: Double

    public init(baseSeconds: Double, minimumSampleMs: Double, fastLevelWait: FastLevelWait? = nil) {
        self.baseSeconds = baseSeconds
        secondsPerSample = 2 * max(minimumSampleMs, 1) / 1000 * (1 + (fastLevelWait?.budgetRatio ?? 0))
    }

    /// Seconds to wait for an answer that takes `samples` samples.
    public func seconds(samples: Int) -> Double {
        baseSeconds + Double(max(samples, 0)) * secondsPerSample
    }

    /// `baseSeconds` as this process's environment sets it, the default where it sets none or a
    /// malformed one (which the commands refuse before they start anything: `baseSeconds(in:)`).
    public static var configuredBaseSeconds: Double {
        (try? baseSeconds()) ?? defaultBaseSeconds
    }

    /// `baseSeconds` as `environment` sets it.
    /// - Throws: `InvalidBase` for a value that is not a positive number of seconds.
    public static func baseSeconds(in environment: [String: String] = ProcessInfo.processInfo.environment) throws(InvalidBase)
        -> Double
    {
        guard let text = environment[variable] else { return defaultBaseSeconds }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else { throw InvalidBase(text: text) }
        return seconds
    }

    /// A `JSA_BENCH_WORKER_TIMEOUT` that is not a positive number of seconds.
    public struct InvalidBase: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "\(AnswerTimeout.variable)='\(text.prefix(40))': not a positive number of seconds"
        }
    }
}
