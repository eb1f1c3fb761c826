import BenchModel
import Foundation

/// Results in the formats other tools read.
public enum Exports {
    public enum Format: String, CaseIterable, Sendable {
        /// google/benchmark's JSON (tools/compare.py, github-action-benchmark, Bencher's adapter).
        case gbench
        /// Bencher Metric Format.
        case bmf
        /// One row per case.
        case csv
    }

    public static func render(_ document: ResultsDocument, as format: Format) throws -> String {
        switch format {
        case .gbench: return try googleBenchmark(document)
        case .bmf: return try bencherMetricFormat(document)
        case .csv: return csv(document)
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    // MARK: - Simulated metrics

    /// The cache simulation's metrics as every export names them (`--counters cachesim`): a
    /// `simulated_` prefix, then what it counts and per what.
    static let simulatedMetrics: [(name: String, value: @Sendable (SimulatedCounts) -> Double?)] = [
        ("simulated_instructions_per_call", { $0[.ir] }),
        ("simulated_estimated_cycles_per_call", { $0.estimatedCyclesPerCall }),
        ("simulated_d1_misses_per_element", { $0.d1MissesPerElement }),
        ("simulated_ll_misses_per_element", { $0.llMissesPerElement }),
        ("simulated_bytes_from_memory_per_element", { $0.bytesFromMemoryPerElement }),
        ("simulated_branch_mispredictions_per_call", { $0[.bcm] }),
        ("simulated_doubles_per_fp_instruction", { $0.fpMix?.doublesPerInstruction })
    ]

    /// A case's simulated metrics by export name (none where it was not simulated).
    static func simulatedValues(_ c: CaseResult) -> [(name: String, value: Double)] {
        guard let simulated = c.simulated, simulated.unavailableReason == nil else { return [] }
        return simulatedMetrics.compactMap { metric in metric.value(simulated).map { (metric.name, $0) } }
    }

    // MARK: - google/benchmark

    struct GBenchDocument: Encodable {
        struct Context: Encodable {
            let date: String
            let host_name: String
            let executable: String
            let num_cpus: Int
            let mhz_per_cpu: Int
            let cpu_scaling_enabled: Bool
            let library_build_type: String
            /// jsa-bench measures wall time only: `cpu_time` repeats `real_time`.
            let jsa_bench_cpu_time_is_wall_time: Bool
            let jsa_bench_schema: String
        }

        struct Benchmark: Encodable {
            let name: String
            let family_index: Int
            let per_family_instance_index: Int
            let run_name: String
            let run_type: String
            let repetitions: Int
            let repetition_index: Int?
            let threads: Int
            let iterations: Int
            let real_time: Double
            let cpu_time: Double
            let time_unit: String
            let aggregate_name: String?
            let bytes_per_second: Double?
            /// User counters, which google/benchmark writes as keys of the entry itself.
            let counters: [String: Double]

            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                func put(_ name: String, _ value: (some Encodable)?) throws {
                    if let value { try container.encode(value, forKey: Key(stringValue: name)) }
                }
                try put("name", name)
                try put("family_index", family_index)
                try put("per_family_instance_index", per_family_instance_index)
                try put("run_name", run_name)
                try put("run_type", run_type)
                try put("repetitions", repetitions)
                try put("repetition_index", repetition_index)
                try put("threads", threads)
                try put("iterations", iterations)
                try put("real_time", real_time)
                try put("cpu_time", cpu_time)
                try put("time_unit", time_unit)
                try put("aggregate_name", aggregate_name)
                try put("bytes_per_second", bytes_per_second)
                for (counter, value) in counters where value.isFinite { try put(counter, value) }
            }
        }

        let context: Context
        let benchmarks: [Benchmark]
    }

    /// One `iteration` entry per raw sample (so compare.py's U test has the samples), then the
    /// `mean`, `median` and `stddev` aggregates, per case; times in ns.
    /// google/benchmark's `mhz_per_cpu`: the recorded frequency in whole MHz, 0 where none was
    /// read or the recorded value is no frequency (a document may say anything; found by
    /// Fuzz/results, where Int(1e300) trapped).
    static func megahertz(_ frequencyMHz: Double?) -> Int {
        guard let frequencyMHz, frequencyMHz.isFinite, frequencyMHz >= 0, frequencyMHz < 1e7 else { return 0 }
        return Int(frequencyMHz.rounded())
    }

    static func googleBenchmark(_ document: ResultsDocument) throws -> String {
        var benchmarks: [GBenchDocument.Benchmark] = []
        for (family, c) in document.cases.enumerated() where c.stats != nil {
            let stats = c.stats!
            let bytesPerSecond = c.gbps.map { $0 * 1e9 }
            let counters = Dictionary(simulatedValues(c).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            func entry(_ runType: String, _ time: Double, repetition: Int?, aggregate: String?) -> GBenchDocument.Benchmark {
                GBenchDocument.Benchmark(
                    name: aggregate.map { "\(c.id)_\($0)" } ?? c.id, family_index: family, per_family_instance_index: 0,
                    run_name: c.id, run_type: runType, repetitions: c.samplesNs.count, repetition_index: repetition,
                    threads: c.threads, iterations: c.iterationsPerSample, real_time: time, cpu_time: time, time_unit: "ns",
                    aggregate_name: aggregate, bytes_per_second: bytesPerSecond, counters: counters)
            }
            benchmarks += c.samplesNs.enumerated().map { entry("iteration", $1, repetition: $0, aggregate: nil) }
            benchmarks.append(entry("aggregate", stats.meanNs, repetition: nil, aggregate: "mean"))
            benchmarks.append(entry("aggregate", stats.medianNs, repetition: nil, aggregate: "median"))
            benchmarks.append(entry("aggregate", stats.stddevNs, repetition: nil, aggregate: "stddev"))
        }
        let e = document.environment
        return try encode(
            GBenchDocument(
                context: GBenchDocument.Context(
                    date: document.run.startedAt, host_name: e.hostname, executable: document.run.commandLine.first ?? "jsa-bench",
                    num_cpus: e.logicalCPUs, mhz_per_cpu: Self.megahertz(e.frequencyMHz),
                    cpu_scaling_enabled: e.governor.map { $0 != "performance" } ?? false,
                    library_build_type: e.buildConfiguration, jsa_bench_cpu_time_is_wall_time: true, jsa_bench_schema: document.schema),
                benchmarks: benchmarks))
    }

    // MARK: - Bencher Metric Format

    struct Metric: Encodable {
        let value: Double
        let lower_value: Double?
        let upper_value: Double?
    }

    /// `{case id: {"latency": median ns with the 95% interval, "throughput": GB/s, "instructions": per call,
    /// and the simulated metrics by their export names}}`.
    static func bencherMetricFormat(_ document: ResultsDocument) throws -> String {
        var metrics: [String: [String: Metric]] = [:]
        for c in document.cases {
            var entry: [String: Metric] = [:]
            if let stats = c.stats {
                entry["latency"] = Metric(value: stats.medianNs, lower_value: stats.ci95LowNs, upper_value: stats.ci95HighNs)
            }
            if let gbps = c.gbps {
                entry["throughput"] = Metric(value: gbps, lower_value: nil, upper_value: nil)
            }
            if let instructions = c.instructions?.perCall {
                entry["instructions"] = Metric(value: instructions, lower_value: nil, upper_value: nil)
            }
            for (name, value) in simulatedValues(c) {
                entry[name] = Metric(value: value, lower_value: nil, upper_value: nil)
            }
            if !entry.isEmpty { metrics[c.id] = entry }
        }
        return try encode(metrics)
    }

    // MARK: - CSV

    static let csvHeader =
        [
            "id", "family", "variant", "kernel", "resolved_kernel", "n", "period", "threads", "level", "verified", "samples",
            "iterations_per_sample", "median_ns", "mad_ns", "min_ns", "max_ns", "mean_ns", "cv", "ci95_low_ns", "ci95_high_ns",
            "per_element_ns", "gbps", "fraction_of_memcpy", "fraction_of_stream_add", "speedup_over_scalar", "alloc_overhead_ns",
            "alloc_overhead_percent", "minor_faults_per_call", "instructions_per_call", "headline", "blocked_ns",
            "blocked_ci95_low_ns", "blocked_ci95_high_ns", "normalized", "normalized_ci95_low", "normalized_ci95_high",
            "fast_level_ns", "fast_level_ci95_low_ns", "fast_level_ci95_high_ns"
        ] + simulatedMetrics.map(\.name)

    /// RFC 4180 CSV, one row per case; empty cells where a value does not apply. A text cell that
    /// a spreadsheet would take for a formula (starting with = + - @ or a control character) is
    /// prefixed with an apostrophe, as OWASP advises against CSV injection.
    static func csv(_ document: ResultsDocument) -> String {
        func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        func text(_ value: String) -> String {
            guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
            return "'" + value
        }
        func quoted(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [csvHeader.joined(separator: ",")]
        for c in document.cases {
            let s = c.stats
            let e = c.estimates
            let cells: [String] =
                [
                    text(c.id), text(c.family), text(c.variant), text(c.kernel ?? ""), text(c.resolvedKernel ?? ""), "\(c.n)",
                    c.period.map(String.init) ?? "", "\(c.threads)", text(c.level), "\(c.verified)", "\(c.samplesNs.count)",
                    "\(c.iterationsPerSample)",
                    number(s?.medianNs), number(s?.madNs), number(s?.minNs), number(s?.maxNs), number(s?.meanNs), number(s?.cv),
                    number(s?.ci95LowNs), number(s?.ci95HighNs), number(c.perElementNs), number(c.gbps),
                    number(c.derived.fractionOfMemcpy), number(c.derived.fractionOfStreamAdd), number(c.derived.speedupOverScalar),
                    number(c.derived.allocOverheadNs), number(c.derived.allocOverheadPercent), number(c.rusagePerCall.minorFaults),
                    number(c.instructions?.perCall), e.map { $0.headline.rawValue } ?? "", number(e?.blocked?.value),
                    number(e?.blocked?.ci95Low), number(e?.blocked?.ci95High), number(e?.normalized?.value),
                    number(e?.normalized?.ci95Low), number(e?.normalized?.ci95High), number(e?.fastLevel?.value),
                    number(e?.fastLevel?.ci95Low), number(e?.fastLevel?.ci95High)
                ] + simulatedMetrics.map { metric in number(c.simulated.flatMap { $0.unavailableReason == nil ? metric.value($0) : nil }) }
            lines.append(cells.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
