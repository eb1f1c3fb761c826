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
    /// The CPU as CPUID names it ("GenuineIntel family 0x6 model 0xA7"), which `auto`'s table keys
    /// on; nil in documents written before it was recorded.
    public var cpuIdentity: String?
    /// The instruction sets `JSA_DISABLE_CPU_FEATURES` switched off for the run ("avx2",
    /// "avx512f"): the kernels and `auto` ran as on a CPU without them. Empty when nothing was
    /// capped; nil in documents written before it was recorded.
    public var disabledCPUFeatures: [String]?
    /// The variant the avx512 kernel ran ("zmm-mixed", "ymm-alignr", "zmm-permute", "ymm-ring"; `JSA.AVX512Variant`); nil
    /// where that kernel could not run, and in documents written before it was recorded.
    public var avx512Variant: String?
    /// The variant the avx2 kernel ran ("split-loads", "lane-permute", "lag-ring"; `JSA.AVX2Variant`); nil
    /// where that kernel could not run, and in documents written before it was recorded.
    public var avx2Variant: String?
    /// The variables that forced a kernel's variant for the run ("JSA_AVX2_VARIANT=split-loads";
    /// `JSA.ForcedVariants`); empty when none did; nil in documents written before it was recorded.
    public var forcedVariants: [String]?
    /// The system's transparent-huge-page mode (`always`, `madvise` or `never`, from
    /// /sys/kernel/mm/transparent_hugepage/enabled); nil where it cannot be read, and in documents
    /// written before it was recorded. The sweep advises its own buffers (`run.pages`).
    public var transparentHugePages: String?

    public init(
        hostname: String, os: String, kernel: String, cpuModel: String, cpuFlags: [String], logicalCPUs: Int,
        caches: CacheTopology, governor: String?, frequencyMHz: Double?, maxFrequencyMHz: Double?,
        virtualMachine: Bool, hypervisor: String?, loadAverage: [Double], memoryBytes: Int?,
        swiftCompiler: String, cCompiler: String, buildConfiguration: String, pythonVersion: String?,
        numpyVersion: String?, cpuIdentity: String? = nil, disabledCPUFeatures: [String]? = nil,
        avx512Variant: String? = nil, avx2Variant: String? = nil, forcedVariants: [String]? = nil
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
        self.cpuIdentity = cpuIdentity
        self.disabledCPUFeatures = disabledCPUFeatures
        self.avx512Variant = avx512Variant
        self.avx2Variant = avx2Variant
        self.forcedVariants = forcedVariants
    }

    /// The CPU in one line, for the report's Trust table and `jsa-bench env`: model, CPUID
    /// identity, logical CPUs, SIMD flags, and the cap when there was one.
    public var cpuSummary: String {
        "\(cpuModel)\(cpuIdentity.map { " (\($0))" } ?? ""), \(logicalCPUs) logical CPUs; "
            + "SIMD flags \(cpuFlags.joined(separator: " "))" + (cpuFeatureCap.map { "; kernels capped by \($0)" } ?? "")
    }

    /// The `JSA_DISABLE_CPU_FEATURES=…` that repeats this run's cap, or nil when nothing was capped.
    public var cpuFeatureCap: String? {
        guard let disabled = disabledCPUFeatures, !disabled.isEmpty else { return nil }
        return "JSA_DISABLE_CPU_FEATURES=" + disabled.joined(separator: ",")
    }

    /// The variable assignments that repeat what the kernels ran: the cap, then the forced variants.
    public var kernelAssignments: [String] {
        [cpuFeatureCap].compactMap { $0 } + (forcedVariants ?? [])
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
        case cpuIdentity = "cpu_identity"
        case disabledCPUFeatures = "disabled_cpu_features"
        case avx512Variant = "avx512_variant"
        case avx2Variant = "avx2_variant"
        case forcedVariants = "forced_variants"
        case transparentHugePages = "transparent_hugepages"
    }
}
