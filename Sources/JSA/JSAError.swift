/// Everything that can go wrong in a JSA call, each case carrying the numbers that explain it.
///
/// Every error is raised by validation *before* any kernel runs: a failing call writes nothing
/// to its output and never traps.
public enum JSAError: Error, Equatable, Hashable, Sendable {
    /// The input series has no elements.
    case emptyInput
    /// Every one of `length` input values is NaN, so there is no first valid index.
    case allValuesNaN(length: Int)
    /// `period` is 0, negative, or longer than the input of `length` elements
    /// (`length` is nil where there is no input yet, as for a stream).
    case invalidPeriod(period: Int, length: Int?)
    /// Fewer than `needed` (= period) values remain from the first non-NaN one on: `valid` do.
    case notEnoughValidData(needed: Int, valid: Int)
    /// The caller's output holds `got` elements; the call writes exactly `expected`.
    case outputLengthMismatch(expected: Int, got: Int)
    /// The caller's output memory overlaps the input; the kernels read `x[i - period]` after
    /// writing `out[i - period]`, so in-place computation would be wrong.
    case outputOverlapsInput
    /// `name` is not one of the kernel names (`auto`, `scalar`, `avx2`, `avx512`).
    case invalidKernel(name: String)
    /// The kernel exists but cannot run here; `reason` says why (CPU, build, or the cap).
    case kernelNotSupported(kernel: Kernel, reason: String)
    /// The value of `variable` (JSA_DISABLE_CPU_FEATURES) names a feature that does not exist.
    case invalidCPUFeatureList(variable: String, name: String)
    /// `JSA_AVX2_VARIANT` or `JSA_AVX512_VARIANT` names no variant, or one this CPU cannot run;
    /// `message` says which, as the Python binding does.
    case invalidKernelVariant(message: String)
    /// The batch grid `(start, end, step)` expands to no valid periods (negative values or step).
    case invalidPeriodRange(start: Int, end: Int, step: Int)
    /// `rows × length` elements (or their size in bytes) do not fit in an `Int`.
    case sizeOverflow(rows: Int, length: Int)
    /// The output would take `bytes` bytes, more than the machine's `physicalMemory` bytes.
    case outputTooLarge(bytes: Int, physicalMemory: Int)
}

extension JSAError: CustomStringConvertible {
    /// One line, with the numbers; the same text the Python binding raises.
    public var description: String {
        switch self {
        case .emptyInput:
            return "input is empty"
        case let .allValuesNaN(length):
            return "all \(length) input values are NaN"
        case let .invalidPeriod(period, length?):
            return "invalid period \(period) for input of length \(length) (period must be in 1...\(length))"
        case let .invalidPeriod(period, nil):
            return "invalid period \(period) (period must be at least 1)"
        case let .notEnoughValidData(needed, valid):
            return "not enough valid data: needed \(needed), valid \(valid) (values from the first non-NaN on)"
        case let .outputLengthMismatch(expected, got):
            return "output length mismatch: expected \(expected), got \(got)"
        case .outputOverlapsInput:
            return "output memory overlaps the input; use a separate output buffer"
        case let .invalidKernel(name):
            let names = Kernel.allCases.map(\.rawValue).joined(separator: ", ")
            return "invalid kernel '\(name)' (expected one of: \(names))"
        case let .kernelNotSupported(kernel, reason):
            return "kernel '\(kernel)' is not supported here: \(reason)"
        case let .invalidCPUFeatureList(variable, name):
            return "\(variable): unknown CPU feature '\(name)' (known: avx2, avx512f)"
        case let .invalidKernelVariant(message):
            return message
        case let .invalidPeriodRange(start, end, step):
            return "invalid period range start=\(start) end=\(end) step=\(step) "
                + "(start and end must be >= 0 and step >= 0; the range expands to no periods)"
        case let .sizeOverflow(rows, length):
            return "size overflow: \(rows) rows × \(length) values does not fit in memory addresses"
        case let .outputTooLarge(bytes, physicalMemory):
            return "output of \(bytes) bytes exceeds this machine's \(physicalMemory) bytes of memory"
        }
    }
}
