import Foundation
import JSA
import Measurement
import SystemIO

/// The measuring side of way (b) of the gate: `jsa-bench sampling-worker` builds, verifies and
/// calibrates the cases of a sweep once, then takes one sample of a case whenever its parent asks.
///
/// Two builds run as two workers side by side and the parent (`ABRunner`) alternates between them
/// sample by sample, so both builds are timed within milliseconds of each other. Timing whole
/// sweeps one process after the other does not work on a shared machine: there, a process can run
/// 1.5–2.5× slower than the next for seconds at a time (a busy neighbour on the host), and such an
/// epoch then lands on one build only.
///
/// The protocol, one line each way (`SamplingProtocol`): the worker first prints its `Hello` as
/// JSON; then for each `sample K` it reads, it prints the ns per call of one sample of case K; at
/// end of input it exits.
public struct SamplingWorker {
    /// What a worker says first.
    public struct Hello: Codable, Sendable {
        public var protocolVersion: String
        /// `release` or `debug`: a debug build's timings say nothing about a release.
        public var buildConfiguration: String
        /// Ids of the cases it can sample, by index.
        public var cases: [String]
        /// Cases whose output differed from scalar, with the difference: never sampled.
        public var failed: [String]

        enum CodingKeys: String, CodingKey {
            case protocolVersion = "protocol"
            case buildConfiguration = "build_configuration"
            case cases, failed
        }
    }

    public static let protocolVersion = "jsa-bench/sampling-worker/v1"

    private let cases: [TimedCase]
    private let iterations: [Int]
    private let sampler: InterleavedSampler<MonotonicClock>
    /// The cases themselves: they hold the buffers the bodies point into.
    private let held: [SweepCase]
    public let hello: Hello

    /// Builds the cases of `configuration` at every size (`note` hears about skipped sizes and
    /// batches), verifies them against scalar and calibrates each to `configuration.minimumSampleMs`.
    public init(configuration: SweepConfiguration, note: (Diagnostic) -> Void = { _ in }) {
        let caches = CacheTopology.read()
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let clock = MonotonicClock()
        let profile = ClockProfile.measure(clock)
        var verified: [SweepCase] = []
        var failed: [String] = []
        for n in configuration.sizes {
            guard n >= configuration.period else { continue }
            let factory = SweepCaseFactory(configuration: configuration, n: n, caches: caches, threads: threads, note: note)
            for c in factory.cases() {
                if let problem = c.verify() {
                    failed.append("\(c.result.id): \(problem)")
                } else {
                    verified.append(c)
                }
            }
        }
        let calibration = Calibration(minimumSampleNs: configuration.minimumSampleMs * 1e6, clock: profile)
        held = verified
        cases = verified.map { TimedCase(id: $0.result.id, body: $0.body) }
        iterations = cases.map { calibration.iterations(clock: clock, $0.body) }
        sampler = InterleavedSampler(clock: clock, profile: profile, plan: SamplingPlan(samples: 1))
        hello = Hello(protocolVersion: Self.protocolVersion, buildConfiguration: Environment.buildConfiguration,
                      cases: cases.map(\.id), failed: failed)
    }

    /// ns per call of one sample of case `index` (one warm call, then the calibrated calls).
    public func sample(_ index: Int) -> Double {
        sampler.sample(cases[index], iterations: iterations[index])
    }

    /// Serves requests from standard input until it ends: prints the hello, then one answer per line.
    public func serve() throws {
        try StandardStreams.writeOutput(String(decoding: try JSONEncoder().encode(hello), as: UTF8.self) + "\n")
        while let line = readLine() {
            let answer = switch SamplingProtocol.Request(line) {
            case .sample(let index) where cases.indices.contains(index): SamplingProtocol.encode(sample(index))
            case .sample, nil: "error: unknown request '\(line)'"
            }
            try StandardStreams.writeOutput(answer + "\n")
        }
    }
}

/// The line protocol between `ABRunner` and `SamplingWorker`.
enum SamplingProtocol {
    enum Request: Equatable {
        case sample(Int)

        init?(_ line: String) {
            let words = line.split(separator: " ")
            guard words.count == 2, words[0] == "sample", let index = Int(words[1]) else { return nil }
            self = .sample(index)
        }

        var line: String {
            switch self {
            case .sample(let index): "sample \(index)\n"
            }
        }
    }

    /// A sample, exactly (round-trips through `decode`).
    static func encode(_ ns: Double) -> String { "\(ns)" }

    static func decode(_ line: String) -> Double? {
        Double(line.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
    }
}
