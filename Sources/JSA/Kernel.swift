internal import CJSAKernels

/// A JSA kernel variant, by the names users of the reference binding type.
///
/// `auto` resolves at run time to the variant that measured fastest on this CPU's family and model
/// (`AutoKernelTable`; on a CPU the table does not know, the widest one) among those the CPU
/// supports and the cap of `JSA_DISABLE_CPU_FEATURES` allows; the others name one implementation
/// each. Every variant produces output bit-identical to `scalar`.
public enum Kernel: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case auto
    /// Genuinely scalar code: vectorization, interleaving and unrolling disabled on every loop.
    case scalar
    /// AVX2: four doubles per instruction.
    case avx2
    /// AVX-512F: eight doubles per instruction, masked tail.
    case avx512

    /// The variants that are an implementation (every case but `auto`), narrowest first.
    public static let concrete: [Kernel] = [.scalar, .avx2, .avx512]

    /// Parses a user-typed name: case-insensitive, surrounding blanks ignored.
    /// - Throws: `JSAError.invalidKernel` naming the input and listing the valid names.
    public init(parsing name: String) throws(JSAError) {
        let normalized = name.trimmingBlanks().lowercased()
        guard let kernel = Kernel(rawValue: normalized) else {
            throw .invalidKernel(name: name)
        }
        self = kernel
    }

    public var description: String { rawValue }

    /// The concrete kernel that runs for this name on `cpu`.
    ///
    /// - Throws: `JSAError.kernelNotSupported` when a concrete kernel cannot run on `cpu`,
    ///   saying whether the build, the CPU or the cap is the reason.
    public func resolved(on cpu: CPUFeatures) throws(JSAError) -> Kernel {
        switch self {
        case .auto:
            return AutoKernelTable.choice(for: cpu.identity, features: cpu).kernel
        case .scalar, .avx2, .avx512:
            if cpu.usable.isSuperset(of: requiredFeatures) {
                return self  // the hot path of every call: no strings built
            }
            if let reason = cpu.reasonUnsupported(self) {
                throw .kernelNotSupported(kernel: self, reason: reason)
            }
            return self
        }
    }

    /// The concrete kernel that runs for this name on this machine (`CPUFeatures.current()`).
    public func resolved() throws(JSAError) -> Kernel {
        Kernel(isa: try resolvedISA())
    }

    /// The C tag of `resolved()`: what every call passes to the kernels, without a round trip
    /// through `Kernel`.
    func resolvedISA() throws(JSAError) -> jsa_isa {
        let cached = cachedISA
        if cached != JSA_UNRESOLVED { return jsa_isa(rawValue: UInt32(cached)) }
        return try resolvedAndRemembered().isa
    }

    /// The first resolution of this name in the process (and every one of a name that cannot run
    /// here): the table built once, remembered in the C cache that `resolved()` reads.
    @inline(never)
    private func resolvedAndRemembered() throws(JSAError) -> Kernel {
        let answer: Kernel? =
            switch self {
            case .auto: Self.onThisMachine.auto
            case .scalar: Self.onThisMachine.scalar
            case .avx2: Self.onThisMachine.avx2
            case .avx512: Self.onThisMachine.avx512
            }
        guard let answer else { return try resolved(on: CPUFeatures.current()) }  // throws the reason
        jsa_remember_resolution(cacheIndex, answer.isa)
        return answer
    }

    /// What this name resolved to in the process as a `jsa_isa` value, or `JSA_UNRESOLVED`: one
    /// relaxed load, which every call makes.
    @inline(__always)
    var cachedISA: Int32 { jsa_resolved_isa(cacheIndex) }

    /// This name's slot in `jsa_resolution_cache`.
    private var cacheIndex: Int32 {
        switch self {
        case .auto: 0
        case .scalar: 1
        case .avx2: 2
        case .avx512: 3
        }
    }

    /// What each name resolves to on this machine; nil where that throws.
    private struct Resolution {
        var auto, scalar, avx2, avx512: Kernel?
    }

    private static let onThisMachine: Resolution = {
        guard let cpu = try? CPUFeatures.current() else { return Resolution() }
        return Resolution(
            auto: try? Kernel.auto.resolved(on: cpu), scalar: try? Kernel.scalar.resolved(on: cpu),
            avx2: try? Kernel.avx2.resolved(on: cpu), avx512: try? Kernel.avx512.resolved(on: cpu))
    }()

    /// The CPU features this kernel needs (none for `scalar` and `auto`).
    public var requiredFeatures: CPUFeatureSet {
        switch self {
        case .auto, .scalar: return []
        case .avx2: return .avx2
        case .avx512: return .avx512f
        }
    }

    /// The concrete kernel of a C instruction-set tag.
    init(isa: jsa_isa) {
        switch isa {
        case JSA_ISA_AVX2: self = .avx2
        case JSA_ISA_AVX512: self = .avx512
        default: self = .scalar
        }
    }

    /// The C instruction-set tag of a concrete kernel.
    var isa: jsa_isa {
        switch self {
        case .scalar, .auto: return JSA_ISA_SCALAR
        case .avx2: return JSA_ISA_AVX2
        case .avx512: return JSA_ISA_AVX512
        }
    }
}

extension String {
    func trimmingBlanks() -> Substring {
        let isBlank: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isBlank($0) }),
            let last = lastIndex(where: { !isBlank($0) })
        else { return "" }
        return self[start...last]
    }
}
