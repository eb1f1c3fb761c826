internal import CJSAKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A set of the CPU features the JSA kernels care about.
public struct CPUFeatureSet: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// AVX2, with the OS saving YMM state.
    public static let avx2 = CPUFeatureSet(rawValue: UInt32(JSA_FEATURE_AVX2))
    /// AVX-512 Foundation, with the OS saving opmask and ZMM state.
    public static let avx512f = CPUFeatureSet(rawValue: UInt32(JSA_FEATURE_AVX512F))

    /// Every feature, in the order of the kernels that need them.
    public static let all: [(name: String, feature: CPUFeatureSet)] = [("avx2", .avx2), ("avx512f", .avx512f)]

    /// Names of the members, comma-separated (`"avx2,avx512f"`), or `"none"`.
    public var description: String {
        let names = Self.all.filter { contains($0.feature) }.map(\.name)
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }

    /// Parses a feature list the way `JSA_DISABLE_CPU_FEATURES` is read: names separated by
    /// commas or blanks, case-insensitive; disabling a feature disables the ones that imply it
    /// (`avx2` also takes `avx512f`), as NumPy's `NPY_DISABLE_CPU_FEATURES` does.
    /// - Throws: `JSAError.invalidCPUFeatureList` naming the first unknown name.
    public static func parseDisabled(
        _ list: String, variable: String = CPUFeatures.disableVariable
    ) throws(JSAError) -> CPUFeatureSet {
        var mask: UInt32 = 0
        var badOffset = 0
        var badLength = 0
        let status = list.withCString { jsa_parse_feature_list($0, &mask, &badOffset, &badLength) }
        guard status == 0 else {
            let bytes = Array(list.utf8)[badOffset..<(badOffset + badLength)]
            throw .invalidCPUFeatureList(variable: variable, name: String(decoding: bytes, as: UTF8.self))
        }
        return CPUFeatureSet(rawValue: mask)
    }
}

/// What the running machine offers the kernels: what the CPU and OS support, what this build
/// compiled, and what the user capped.
public struct CPUFeatures: Hashable, Sendable {
    /// The environment variable that caps the instruction sets, e.g. `avx512f` or `avx512f,avx2`.
    public static let disableVariable = "JSA_DISABLE_CPU_FEATURES"

    /// Supported by the CPU and enabled by the OS (CPUID and XGETBV).
    public let detected: CPUFeatureSet
    /// Kernels present in this build (none of the SIMD ones on non-x86-64 hosts).
    public let compiled: CPUFeatureSet
    /// Switched off by the cap.
    public let disabled: CPUFeatureSet
    /// Which CPU it is, for the table that chooses `auto` (`AutoKernelTable`).
    public let identity: CPUIdentity

    public init(detected: CPUFeatureSet, compiled: CPUFeatureSet, disabled: CPUFeatureSet = [], identity: CPUIdentity = .unknown) {
        self.detected = detected
        self.compiled = compiled
        self.disabled = disabled
        self.identity = identity
    }

    /// The features the kernels may use: detected, compiled, and not disabled.
    public var usable: CPUFeatureSet {
        detected.intersection(compiled).subtracting(disabled)
    }

    /// Whether `kernel` can run (`auto` always can). Cheap: `auto` asks this on every call.
    public func supports(_ kernel: Kernel) -> Bool {
        usable.isSuperset(of: kernel.requiredFeatures)
    }

    /// Why `kernel` cannot run here, or nil when it can.
    public func reasonUnsupported(_ kernel: Kernel) -> String? {
        let needed = kernel.requiredFeatures
        guard let missing = CPUFeatureSet.all.first(where: { needed.contains($0.feature) && !usable.contains($0.feature) })
        else { return nil }
        let name = missing.name.uppercased()
        if !compiled.contains(missing.feature) {
            return "this build has no \(kernel) kernel (it is not an x86-64 build)"
        }
        if !detected.contains(missing.feature) {
            return "this CPU or its OS does not support \(name)"
        }
        return "\(name) is disabled by \(Self.disableVariable)"
    }

    /// The hardware of this machine with the cap read from `environment` (a variable value or nil).
    /// - Throws: `JSAError.invalidCPUFeatureList` when the cap names an unknown feature.
    public static func detect(disableList: String?) throws(JSAError) -> CPUFeatures {
        let disabled = try disableList.map { (list: String) throws(JSAError) in try CPUFeatureSet.parseDisabled(list) } ?? []
        return CPUFeatures(
            detected: CPUFeatureSet(rawValue: jsa_cpu_detect()),
            compiled: CPUFeatureSet(rawValue: jsa_compiled_features()),
            disabled: disabled,
            identity: .current
        )
    }

    /// This machine, with the cap of `JSA_DISABLE_CPU_FEATURES` as it was when first asked
    /// (read once per process, as NumPy reads its variable once at import).
    /// - Throws: `JSAError.invalidCPUFeatureList` when the variable names an unknown feature;
    ///   `JSAError.invalidKernelVariant` when `JSA_AVX2_VARIANT` or `JSA_AVX512_VARIANT` names a
    ///   variant that does not exist or cannot run here, so that no kernel runs another than asked.
    public static func current() throws(JSAError) -> CPUFeatures {
        try cached.get()
    }

    private static let cached: Result<CPUFeatures, JSAError> = {
        let list = getenv(disableVariable).map { String(cString: $0) }
        do throws(JSAError) {
            if let problem = ForcedVariants.problemHere() {
                throw .invalidKernelVariant(message: problem)
            }
            return .success(try detect(disableList: list))
        } catch {
            return .failure(error)
        }
    }()
}
