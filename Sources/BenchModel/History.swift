/// The history of runs across commits and machines (`jsa-bench history`): which runs are
/// comparable, and the series of one case's estimate over them.

/// What decides whether two runs' times are comparable: the CPU (model, SIMD flags, logical
/// CPUs, caches), the OS and kernel, whether it is a virtual machine, the build, and a way of
/// measuring other than warm on 4 KiB pages. Not the host name: CI runners are renamed. Series
/// are kept per fingerprint and never mixed.
public struct MachineFingerprint: Codable, Hashable, Sendable {
    /// 16 hex digits: FNV-1a (64-bit) of `canonical`.
    public var id: String
    public var cpuModel: String
    public var cpuFlags: [String]
    public var logicalCPUs: Int
    public var caches: CacheTopology
    public var os: String
    public var kernel: String
    public var virtualMachine: Bool
    public var buildConfiguration: String
    /// How its runs were measured where that was not warm caches on 4 KiB pages, one placement of
    /// the buffers per process ("cold caches", "2 MiB huge pages", "8 placements": `measuring(_:)`);
    /// nil for such runs, whose fingerprints are as they were before it was recorded. Such runs
    /// time other things, so they make series of their own.
    public var measuring: String?

    public init(
        cpuModel: String, cpuFlags: [String], logicalCPUs: Int, caches: CacheTopology, os: String, kernel: String,
        virtualMachine: Bool, buildConfiguration: String, measuring: String? = nil
    ) {
        self.cpuModel = cpuModel
        self.cpuFlags = cpuFlags.sorted()
        self.logicalCPUs = logicalCPUs
        self.caches = caches
        self.os = os
        self.kernel = kernel
        self.virtualMachine = virtualMachine
        self.buildConfiguration = buildConfiguration
        self.measuring = measuring
        id = ""
        id = Self.digest(canonical)
    }

    /// The fingerprint of the machine, build and way of measuring of a run.
    public init(_ document: ResultsDocument) {
        self.init(document.environment, measuring: Self.measuring(document.run))
    }

    /// How `run` measured, where it was not warm on 4 KiB pages with one placement per process
    /// (nil): "cold caches", "2 MiB huge pages", "8 placements" (near the L2 a mix of draws of
    /// pages reads otherwise than one: `--placements`), joined by commas.
    public static func measuring(_ run: RunInfo) -> String? {
        let placements = run.placements ?? 1
        let ways =
            (run.cold ? ["cold caches"] : []) + (run.pages == .huge ? [PageSize.huge.name] : [])
            + (placements > 1 ? ["\(placements) placements"] : [])
        return ways.isEmpty ? nil : ways.joined(separator: ", ")
    }

    /// The fingerprint of the machine and build `environment` describes. A run under
    /// `JSA_DISABLE_CPU_FEATURES` played a CPU without those sets: its flags leave them out (an
    /// AVX-512 flag goes with `avx512f`), so its series are not mixed with the uncapped machine's.
    public init(_ environment: Environment, measuring: String? = nil) {
        let disabled = environment.disabledCPUFeatures ?? []
        let flags = environment.cpuFlags.filter { flag in
            !disabled.contains { flag == $0 || ($0 == "avx512f" && flag.hasPrefix("avx512")) }
        }
        self.init(
            cpuModel: environment.cpuModel, cpuFlags: flags, logicalCPUs: environment.logicalCPUs,
            caches: environment.caches, os: environment.os, kernel: environment.kernel,
            virtualMachine: environment.virtualMachine, buildConfiguration: environment.buildConfiguration, measuring: measuring)
    }

    /// Every field that makes the fingerprint, in one line.
    public var canonical: String {
        func bytes(_ value: Int?) -> String { value.map(String.init) ?? "?" }
        return [
            cpuModel, cpuFlags.joined(separator: ","), "\(logicalCPUs)", bytes(caches.l1dBytes), bytes(caches.l2Bytes),
            bytes(caches.l3Bytes), os, kernel, virtualMachine ? "vm" : "metal", buildConfiguration
        ].joined(separator: "|") + (measuring.map { "|\($0)" } ?? "")
    }

    /// A short description for tables: CPU, logical CPUs, caches.
    public var summary: String {
        "\(cpuModel), \(logicalCPUs) CPUs, L2 \(caches.l2Bytes.map(Format.bytes) ?? "?"), L3 \(caches.l3Bytes.map(Format.bytes) ?? "?")"
            + "\(virtualMachine ? ", VM" : ""), \(buildConfiguration)" + (measuring.map { ", \($0)" } ?? "")
    }

    /// FNV-1a, 64-bit, of the UTF-8 bytes of `text`, as 16 hex digits: stable across processes
    /// and platforms (unlike `Hasher`).
    public static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    enum CodingKeys: String, CodingKey {
        case id
        case cpuModel = "cpu_model"
        case cpuFlags = "cpu_flags"
        case logicalCPUs = "logical_cpus"
        case caches, os, kernel
        case virtualMachine = "virtual_machine"
        case buildConfiguration = "build_configuration"
        case measuring
    }
}

/// One run's estimate of one case, as the history keeps it (in its series' basis).
public struct HistoryPoint: Codable, Hashable, Sendable {
    /// The run's identity in the store (`HistoryRun.key`).
    public var runKey: String
    /// ISO 8601, UTC.
    public var startedAt: String
    public var commit: String?
    /// ns per call (or the memcpy ratio), with its 95% interval, by `estimator` (`blocked` or
    /// `median` for time, `within_rounds` for the ratio).
    public var value: Double
    public var ci95Low: Double
    public var ci95High: Double
    public var estimator: String

    public init(runKey: String, startedAt: String, commit: String?, value: Double, ci95Low: Double, ci95High: Double, estimator: String) {
        self.runKey = runKey
        self.startedAt = startedAt
        self.commit = commit
        self.value = value
        self.ci95Low = ci95Low
        self.ci95High = ci95High
        self.estimator = estimator
    }

    /// The commit, shortened for tables and chart labels.
    public var shortCommit: String { commit.map { String($0.prefix(8)) } ?? "—" }

    enum CodingKeys: String, CodingKey {
        case runKey = "run_key"
        case startedAt = "started_at"
        case commit, value
        case ci95Low = "ci95_low"
        case ci95High = "ci95_high"
        case estimator
    }
}

/// What a series follows: the case's time, or its time relative to memcpy at the same n in the
/// same run (the within-round ratio), which cancels the machine's speed from run to run.
public enum HistoryBasis: String, Codable, CaseIterable, Sendable {
    /// ns per call.
    case time
    /// The case's time / memcpy's, within rounds (`fraction_of_memcpy`).
    case memcpy

    /// A value of this basis for tables.
    public func format(_ value: Double) -> String {
        switch self {
        case .time: Format.duration(value)
        case .memcpy: Format.number(value, digits: 3) + "× memcpy"
        }
    }
}

/// One case's series on one machine, oldest run first.
public struct CaseHistory: Codable, Hashable, Sendable {
    public var caseID: String
    public var machine: MachineFingerprint
    public var basis: HistoryBasis
    public var points: [HistoryPoint]

    public init(caseID: String, machine: MachineFingerprint, basis: HistoryBasis = .time, points: [HistoryPoint]) {
        self.caseID = caseID
        self.machine = machine
        self.basis = basis
        self.points = points
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id"
        case machine, basis, points
    }
}

/// What identifies a run, so that adding the same results file twice stores it once: when it
/// started and ended, where, and at which commit.
public enum HistoryRun {
    public static func key(of document: ResultsDocument) -> String {
        MachineFingerprint.digest(
            [document.run.startedAt, document.run.endedAt ?? "", document.environment.hostname, document.run.gitCommit ?? ""]
                .joined(separator: "|"))
    }

    /// The estimate the history keeps for a case: the blocked one (ns, with its interval), or the
    /// median of a case without rounds; nil for a case with neither.
    public static func estimate(of c: CaseResult) -> (value: Double, low: Double, high: Double, estimator: String)? {
        if let blocked = c.estimates?.blocked {
            return (blocked.value, blocked.ci95Low, blocked.ci95High, Estimator.blocked.rawValue)
        }
        if let median = c.estimates?.median {
            return (median.value, median.ci95Low, median.ci95High, Estimator.median.rawValue)
        }
        if let stats = c.stats { return (stats.medianNs, stats.ci95LowNs, stats.ci95HighNs, Estimator.median.rawValue) }
        return nil
    }
}
