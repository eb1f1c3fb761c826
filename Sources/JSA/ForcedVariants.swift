internal import CJSAKernels

/// `JSA_AVX2_VARIANT` and `JSA_AVX512_VARIANT`: when set and not empty, each names the variant its
/// kernel runs in the process instead of the auto table rule's (`AVX2Variant`, `AVX512Variant`), so
/// that one machine can measure the variants against each other with the sweep's own estimators
/// and test each. Read on each kernel's first call, by the Swift API and the Python binding alike.
/// A value that names no variant, or one that needs AVX-512VL (`ymm-alignr`, `ymm-ring`) on a CPU
/// without it, makes every call
/// throw `JSAError.invalidKernelVariant` (and the binding refuse to import): no kernel runs other
/// code than the one asked for.
public enum ForcedVariants {
    public static let avx2Variable = JSA_AVX2_VARIANT_VARIABLE
    public static let avx512Variable = JSA_AVX512_VARIANT_VARIABLE

    /// What is wrong with the values `avx2` and `avx512` of the variables (nil or empty: unset) on
    /// a CPU with or without AVX-512VL, in one line, or nil when nothing is.
    public static func problem(avx2: String?, avx512: String?, avx512vl: Bool) -> String? {
        problem { message, size in jsa_forced_variant_problem_for(avx2, avx512, avx512vl ? 1 : 0, message, size) }
    }

    /// The same for this process's environment and CPU.
    static func problemHere() -> String? {
        problem { jsa_forced_variant_problem($0, $1) }
    }

    /// The assignments that force a variant in this process and are used ("JSA_AVX2_VARIANT=
    /// split-loads"), in the order of the variables above: what a run records to be repeated.
    public static var assignments: [String] {
        [AVX2Variant.forced.map { "\(avx2Variable)=\($0)" }, AVX512Variant.forced.map { "\(avx512Variable)=\($0)" }]
            .compactMap { $0 }
    }

    /// The variants a CPU with `features` runs besides the ones this process runs, as the
    /// variable and value that force each (`jsa-bench verify` checks each in a child process): the
    /// avx2 kernel's where it can run, the avx512 kernel's where it can, those that need AVX-512VL
    /// only with it.
    public static func others(on features: CPUFeatures) -> [(kernel: Kernel, variable: String, value: String)] {
        var others: [(kernel: Kernel, variable: String, value: String)] = []
        if features.supports(.avx2) {
            others += AVX2Variant.allCases.filter { $0 != AVX2Variant.current }.map { (.avx2, avx2Variable, $0.rawValue) }
        }
        if features.supports(.avx512) {
            others += AVX512Variant.allCases
                .filter { $0 != AVX512Variant.current && (!$0.needsAVX512VL || AVX512Variant.avx512vlDetected) }
                .map { (.avx512, avx512Variable, $0.rawValue) }
        }
        return others
    }

    private static func problem(_ check: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String? {
        var message = [CChar](repeating: 0, count: 256)
        let found = message.withUnsafeMutableBufferPointer { check($0.baseAddress!, $0.count) }
        return found == 0 ? nil : message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
