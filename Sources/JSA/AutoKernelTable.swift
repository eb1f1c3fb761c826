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
/// the order they won there, and the measurements behind that order (docs/store-limit.md has the
/// tables). `auto` runs the first kernel of the matching rule's order that the machine (and the
/// cap of `JSA_DISABLE_CPU_FEATURES`) allows; a CPU no rule covers runs the widest kernel it
/// allows, which is what every measured machine agrees with so far. The table and the choice are
/// C (`auto_table.c`), which the Python binding's `auto` reads too.
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
        /// What the avx512 kernel runs on these CPUs (where they have AVX-512VL).
        public let avx512Variant: AVX512Variant
        /// What the avx2 kernel runs on these CPUs.
        public let avx2Variant: AVX2Variant
        /// Outputs of at least this many bytes stream on these CPUs where that is below 3/8 of the
        /// L3 (`StreamingStores`); nil where the L3's default alone decides.
        public let streamingFrom: Int?
        /// The 4 KiB stretches a streamed row of at least `streamingInterleavedFrom` bytes writes
        /// interleaved on these CPUs (`StreamingStores`); 1: in order.
        public let streamingPages: Int
        /// The streamed rows that interleave, bytes; nil: none.
        public let streamingInterleavedFrom: Int?
    }

    /// The rules, first match wins.
    public static let rules: [Rule] = {
        var count = 0
        let table = UnsafeBufferPointer(start: jsa_auto_rules(&count), count: count)
        return table.map { rule in
            Rule(
                name: String(cString: rule.name), vendor: String(cString: rule.vendor), family: Int(rule.family),
                models: UnsafeBufferPointer(start: rule.models, count: rule.model_count).map { Int($0.first)...Int($0.last) },
                order: UnsafeBufferPointer(start: rule.order, count: rule.order_count).map(Kernel.init(isa:)),
                evidence: String(cString: rule.evidence), avx512Variant: AVX512Variant(rule.avx512_variant),
                avx2Variant: AVX2Variant(rule.avx2_variant), streamingFrom: rule.streaming_from == 0 ? nil : rule.streaming_from,
                streamingPages: max(1, rule.streaming_pages),
                streamingInterleavedFrom: rule.streaming_interleaved_from == 0 ? nil : rule.streaming_interleaved_from)
        }
    }()

    /// The rule covering `identity`, if any.
    public static func rule(for identity: CPUIdentity) -> Rule? {
        var cpu = identity.cIdentity
        let index = Int(jsa_auto_rule_for(&cpu))
        return index >= 0 ? rules[index] : nil
    }

    /// The kernel `auto` runs on `identity` with `features`, and why, in one sentence.
    public static func choice(for identity: CPUIdentity, features: CPUFeatures) -> (kernel: Kernel, reason: String) {
        var cpu = identity.cIdentity
        let kernel = Kernel(isa: jsa_auto_isa(&cpu, features.usable.rawValue))
        guard let rule = rule(for: identity) else {
            return (kernel, "no rule for \(identity): the widest kernel this machine allows")
        }
        let passedOver = rule.order.prefix { $0 != kernel }.compactMap { k in features.reasonUnsupported(k).map { "\(k): \($0)" } }
        let because = passedOver.isEmpty ? "" : " (\(passedOver.joined(separator: "; ")))"
        return (
            kernel,
            "rule \"\(rule.name)\" for \(identity): order \(rule.order.map(\.rawValue).joined(separator: " > "))\(because); \(rule.evidence)"
        )
    }
}

extension CPUIdentity {
    /// The identity as the C table reads it. A vendor CPUID cannot report (longer than its 12
    /// bytes) is left empty, so that it matches no rule.
    var cIdentity: jsa_cpu_identity {
        var cpu = jsa_cpu_identity()
        withUnsafeMutableBytes(of: &cpu.vendor) { bytes in
            guard vendor.utf8.count < bytes.count else { return }
            for (k, byte) in vendor.utf8.enumerated() { bytes[k] = byte }
        }
        cpu.family = UInt32(clamping: family)
        cpu.model = UInt32(clamping: model)
        return cpu
    }
}
