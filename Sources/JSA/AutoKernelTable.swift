internal import CJSAKernels

/// Which CPU this is: the vendor and the display family and model of CPUID, as Intel and AMD
/// define them (family 0x19 is AMD's Zen 3 and Zen 4; family 6 all of Intel's cores).
public struct CPUIdentity: Hashable, Sendable, CustomStringConvertible {
    /// CPUID's vendor string: "GenuineIntel", "AuthenticAMD"; empty where there is no CPUID.
    public let vendor: String
    public let family: Int
    public let model: Int

    public init(vendor: String, family: Int, model: Int) {
        self.vendor = vendor
        self.family = family
        self.model = model
    }

    /// A CPU the table cannot know (no CPUID: a non-x86 host).
    public static let unknown = CPUIdentity(vendor: "", family: 0, model: 0)

    /// The running CPU (under valgrind: what valgrind's synthetic CPUID says).
    public static let current: CPUIdentity = {
        var identity = jsa_cpu_identify()
        let vendor = withUnsafeBytes(of: &identity.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return CPUIdentity(vendor: vendor, family: Int(identity.family), model: Int(identity.model))
    }()

    public var description: String {
        vendor.isEmpty
            ? "a CPU without CPUID"
            : "\(vendor) family 0x\(String(family, radix: 16, uppercase: true)) model 0x\(String(model, radix: 16, uppercase: true))"
    }
}

/// What `auto` runs on which CPU, by evidence: each rule names the CPUs it covers, the kernels in
/// the order they won there, and the measurements behind that order (docs/kernels.md has the
/// tables). `auto` runs the first kernel of the matching rule's order that the machine (and the
/// cap of `JSA_DISABLE_CPU_FEATURES`) allows; a CPU no rule covers runs the widest kernel it
/// allows, which is what every measured machine agrees with so far.
public enum AutoKernelTable {
    /// One row of the table.
    public struct Rule: Sendable {
        public let name: String
        public let vendor: String
        public let family: Int
        public let models: [ClosedRange<Int>]
        /// The kernels, fastest first on these CPUs.
        public let order: [Kernel]
        /// What was measured, where and when.
        public let evidence: String

        func covers(_ cpu: CPUIdentity) -> Bool {
            cpu.vendor == vendor && cpu.family == family && models.contains { $0.contains(cpu.model) }
        }
    }

    /// The rules, from the sweeps of each machine class the project has been measured on.
    public static let rules: [Rule] = [
        Rule(
            name: "AMD Zen 4", vendor: "AuthenticAMD", family: 0x19, models: [0x10...0x1F, 0x60...0x7F, 0xA0...0xAF],
            order: [.avx512, .avx2, .scalar],
            evidence: "Reports/reference (AMD EPYC Zen 4 guest, 2026-11-27): direct-write avx512 3.52x scalar at L1 against "
                + "avx2 3.26x; the same at L2 and L3; 1.40x against 1.33x at DRAM"),
        Rule(
            name: "AMD Zen 3", vendor: "AuthenticAMD", family: 0x19, models: [0x00...0x0F, 0x20...0x5F],
            order: [.avx2, .scalar],
            evidence: "no AVX-512; avx2 is 1.19-1.23x memcpy at L2 and scalar several times slower (AMD EPYC Zen 3 guest, "
                + "docs/kernels.md)"),
        Rule(
            name: "Intel Xeon with AVX-512 (Sapphire Rapids class, as KVM guests report it)", vendor: "GenuineIntel", family: 6,
            models: [0x8F...0x8F, 0xA7...0xA7, 0xCF...0xCF],
            order: [.avx512, .avx2, .scalar],
            evidence: "2026-12-03 sweeps (docs/kernels.md): direct-write avx512 2.20-2.23x memcpy at L1 against avx2 "
                + "3.15-3.75x; the same within noise at L2 and L3")
    ]

    /// The kernel `auto` runs on `identity` with `features`, and why, in one sentence.
    public static func choice(for identity: CPUIdentity, features: CPUFeatures) -> (kernel: Kernel, reason: String) {
        guard let rule = rules.first(where: { $0.covers(identity) }) else {
            let widest = Kernel.concrete.last { features.supports($0) } ?? .scalar
            return (widest, "no rule for \(identity): the widest kernel this machine allows")
        }
        let kernel = rule.order.first { features.supports($0) } ?? .scalar
        let passedOver = rule.order.prefix { $0 != kernel }.compactMap { k in features.reasonUnsupported(k).map { "\(k): \($0)" } }
        let because = passedOver.isEmpty ? "" : " (\(passedOver.joined(separator: "; ")))"
        return (
            kernel,
            "rule \"\(rule.name)\" for \(identity): order \(rule.order.map(\.rawValue).joined(separator: " > "))\(because); \(rule.evidence)"
        )
    }
}
