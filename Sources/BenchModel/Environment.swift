/// Where a run happened: the facts that decide whether two runs can be compared and how far a
/// number can be trusted.
public struct Environment: Codable, Hashable, Sendable {
    public var hostname: String
    public var os: String
    public var kernel: String
    public var cpuModel: String
    /// The SIMD-relevant flags of /proc/cpuinfo (sse2, avx, avx2, fma, avx512*).
    public var cpuFlags: [String]
    public var logicalCPUs: Int
    public var caches: CacheTopology
    /// cpufreq governor of CPU 0, nil where the OS exposes none (typical of VMs).
    public var governor: String?
    /// Current and maximum frequency of CPU 0 from cpufreq, MHz.
    public var frequencyMHz: Double?
    public var maxFrequencyMHz: Double?
    /// Whether the CPU reports running under a hypervisor, and which one where the OS says.
    public var virtualMachine: Bool
    public var hypervisor: String?
    /// 1-, 5- and 15-minute load averages at the start of the run.
    public var loadAverage: [Double]
    public var memoryBytes: Int?
    public var swiftCompiler: String
    public var cCompiler: String
    /// `debug` or `release`.
    public var buildConfiguration: String
    /// Version of Debian's /usr/bin/python3 (the interpreter jsa-bench embeds) and of its NumPy,
    /// nil where they are missing.
    public var pythonVersion: String?
    public var numpyVersion: String?

    public init(
        hostname: String, os: String, kernel: String, cpuModel: String, cpuFlags: [String], logicalCPUs: Int,
        caches: CacheTopology, governor: String?, frequencyMHz: Double?, maxFrequencyMHz: Double?,
        virtualMachine: Bool, hypervisor: String?, loadAverage: [Double], memoryBytes: Int?,
        swiftCompiler: String, cCompiler: String, buildConfiguration: String, pythonVersion: String?,
        numpyVersion: String?
    ) {
        self.hostname = hostname
        self.os = os
        self.kernel = kernel
        self.cpuModel = cpuModel
        self.cpuFlags = cpuFlags
        self.logicalCPUs = logicalCPUs
        self.caches = caches
        self.governor = governor
        self.frequencyMHz = frequencyMHz
        self.maxFrequencyMHz = maxFrequencyMHz
        self.virtualMachine = virtualMachine
        self.hypervisor = hypervisor
        self.loadAverage = loadAverage
        self.memoryBytes = memoryBytes
        self.swiftCompiler = swiftCompiler
        self.cCompiler = cCompiler
        self.buildConfiguration = buildConfiguration
        self.pythonVersion = pythonVersion
        self.numpyVersion = numpyVersion
    }

    enum CodingKeys: String, CodingKey {
        case hostname, os, kernel
        case cpuModel = "cpu_model"
        case cpuFlags = "cpu_flags"
        case logicalCPUs = "logical_cpus"
        case caches, governor
        case frequencyMHz = "frequency_mhz"
        case maxFrequencyMHz = "max_frequency_mhz"
        case virtualMachine = "virtual_machine"
        case hypervisor
        case loadAverage = "load_average"
        case memoryBytes = "memory_bytes"
        case swiftCompiler = "swift_compiler"
        case cCompiler = "c_compiler"
        case buildConfiguration = "build_configuration"
        case pythonVersion = "python_version"
        case numpyVersion = "numpy_version"
    }
}
