/// What a case measures, as a type: the family, variant and kernel of a `CaseResult`, whose
/// strings in the JSON (`family`, `variant`, `kernel`) are these values' stable spellings.
/// Nothing outside this file compares those strings.
public enum CaseKind: Hashable, Sendable, CustomStringConvertible {
    /// JSA through the Swift API (or, `bareC`, the same kernel called from C on the same buffers).
    case native(NativeVariant, KernelName)
    /// `jsaBatchInto` with `auto` over the batch periods.
    case batch(BatchVariant)
    /// What the machine does with the same elements when no JSA logic is involved.
    case reference(ReferenceKind)
    /// A rung of the Python binding's overhead ladder.
    case python(PythonRung)

    /// The kind of a case with these spellings; nil for one this version does not know.
    public init?(family: String, variant: String, kernel: String?) {
        switch family {
        case "native":
            guard let variant = NativeVariant(rawValue: variant), let kernel = kernel.flatMap(KernelName.init) else { return nil }
            self = .native(variant, kernel)
        case "batch":
            guard let variant = BatchVariant(rawValue: variant) else { return nil }
            self = .batch(variant)
        case "reference":
            guard let reference = ReferenceKind(rawValue: variant) else { return nil }
            self = .reference(reference)
        case "python":
            guard let rung = PythonRung(rawValue: variant) else { return nil }
            self = .python(rung)
        default:
            return nil
        }
    }

    /// The `family` spelling.
    public var family: String {
        switch self {
        case .native: return "native"
        case .batch: return "batch"
        case .reference: return "reference"
        case .python: return "python"
        }
    }

    /// The `variant` spelling.
    public var variant: String {
        switch self {
        case .native(let variant, _): return variant.rawValue
        case .batch(let variant): return variant.rawValue
        case .reference(let reference): return reference.rawValue
        case .python(let rung): return rung.rawValue
        }
    }

    /// The kernel of a native case.
    public var kernel: KernelName? {
        if case .native(_, let kernel) = self { return kernel }
        return nil
    }

    /// The native variant, if this is a native case.
    public var nativeVariant: NativeVariant? {
        if case .native(let variant, _) = self { return variant }
        return nil
    }

    public var description: String { "\(family)/\(variant)" + (kernel.map { "/\($0.rawValue)" } ?? "") }
}

extension CaseKind {
    /// The case's id, the key every tool matches cases by: `family/variant[/kernel]/n=N`, then
    /// `/p=P` for one period or `/p=START-END:STEP` for a batch's range. A batch always runs
    /// `auto`, and its id says so.
    public func id(n: Int, period: Int? = nil, periodRange: (start: Int, end: Int, step: Int)? = nil) -> String {
        var id = "\(family)/\(variant)"
        if let kernel {
            id += "/\(kernel.rawValue)"
        } else if case .batch = self {
            id += "/\(KernelName.auto.rawValue)"
        }
        id += "/n=\(n)"
        if let periodRange {
            id += "/p=\(periodRange.start)-\(periodRange.end):\(periodRange.step)"
        } else if let period {
            id += "/p=\(period)"
        }
        return id
    }
}

/// The kernel names of the JSA API (`JSA.Kernel`), as the results spell them.
public enum KernelName: String, Codable, CaseIterable, Hashable, Sendable, Comparable {
    case auto, scalar, avx2, avx512

    /// Narrowest first, `auto` last: the column order of tables.
    public var columnOrder: Int {
        switch self {
        case .scalar: return 0
        case .avx2: return 1
        case .avx512: return 2
        case .auto: return 3
        }
    }

    /// The SIMD kernels (not scalar, not auto).
    public var isSIMD: Bool { self == .avx2 || self == .avx512 }

    public static func < (a: KernelName, b: KernelName) -> Bool { a.columnOrder < b.columnOrder }
}

/// How a native case calls the kernel.
public enum NativeVariant: String, Codable, CaseIterable, Hashable, Sendable {
    /// `jsa`: allocates its output.
    case alloc
    /// `jsaInto`: writes the caller's buffer.
    case into
    /// `jsaInto` into an output at the input's page offset (every store 4K-aliases later loads).
    case intoAliased = "into_aliased"
    /// `jsaInto` from a copy of the input 16 bytes past a cache line, the output on one: where
    /// NumPy's arrays, placed at any 16 bytes, often leave a caller once the kernel aligns its
    /// stores.
    case intoOffset = "into_offset"
    /// The kernel called from C on `into`'s buffers, with the same checks: the Swift API's cost is
    /// `into` over this.
    case bareC = "bare_c"
}

/// How a batch runs its rows.
public enum BatchVariant: String, Codable, CaseIterable, Hashable, Sendable {
    case singleThread = "single_thread"
    case allCores = "all_cores"
}

/// The references timed beside the kernels at each size.
public enum ReferenceKind: String, Codable, CaseIterable, Hashable, Sendable {
    /// glibc memcpy of n doubles: the roofline of read 8 B + write 8 B.
    case memcpy
    /// STREAM add, c[i] = a[i] + b[i].
    case streamAdd = "stream_add"
    /// A plain loop copying n doubles with the widest vectors the CPU has: the store limit of read
    /// 8 B + write 8 B, which glibc's memcpy, choosing its strategy by size and CPU, need not reach.
    case copyLoop = "copy_loop"
    /// malloc and free of n doubles with the system allocator: what `jsa`'s allocation must cost.
    case mallocFree = "malloc_free"
    /// A Swift `[Double]` with room for n elements, created and released: malloc and free plus the
    /// Swift runtime's object lifecycle, the least any function returning a new array of n pays.
    case swiftArray = "swift_array"
}

/// The rungs of the Python ladder (`python/<rung>/n=…`).
public enum PythonRung: String, Codable, CaseIterable, Hashable, Sendable {
    case nativeOut = "native_out"
    case emptyLoop = "empty_loop"
    case noop
    case acquireOut = "acquire_out"
    case numpyEmpty = "numpy_empty"
    case jsaOut = "jsa_out"
    case jsa
    case jsaCopy = "jsa_copy"
    case numpyBaseline = "numpy_baseline"
    case numpyNaive = "numpy_naive"
    case jsaBatch = "jsa_batch"

    /// Whether the rung calls into jsa_native (its cases' `kernel` is `auto`); the empty loop and
    /// NumPy's rungs do not.
    public var callsBinding: Bool {
        switch self {
        case .nativeOut, .noop, .acquireOut, .jsaOut, .jsa, .jsaCopy, .jsaBatch: return true
        case .emptyLoop, .numpyEmpty, .numpyBaseline, .numpyNaive: return false
        }
    }
}

extension CaseResult {
    /// The case's kind, from its spellings; nil for a family or variant this version does not know.
    public var kind: CaseKind? { CaseKind(family: family, variant: variant, kernel: kernel) }
}
