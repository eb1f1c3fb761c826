import JSA

/// Which variant of each SIMD kernel a process runs, and the assignments that forced them: what a
/// results document records (`Environment.avx2Variant`, `avx512Variant`, `forcedVariants`) and what
/// a sampling worker says in its hello, so that two workers of one build started with other
/// `JSA_AVX2_VARIANT` / `JSA_AVX512_VARIANT` values (`gate --baseline-env`, `--head-env`) are
/// told apart.
public struct KernelVariants: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The avx2 and avx512 kernels' variants (`AVX2Variant`, `AVX512Variant` raw values); nil where
    /// the CPU, or its cap, cannot run the kernel.
    public var avx2: String?
    public var avx512: String?
    /// The assignments in force that chose them (`ForcedVariants.assignments`); empty when the
    /// auto table's rule did.
    public var forced: [String]

    public init(avx2: String?, avx512: String?, forced: [String]) {
        self.avx2 = avx2
        self.avx512 = avx512
        self.forced = forced
    }

    /// This process's, on a CPU with `features`.
    public static func here(_ features: CPUFeatures) -> KernelVariants {
        KernelVariants(
            avx2: features.supports(.avx2) ? AVX2Variant.current.rawValue : nil,
            avx512: features.supports(.avx512) ? AVX512Variant.current.rawValue : nil,
            forced: ForcedVariants.assignments)
    }

    /// "avx2 lane-permute, avx512 ymm-alignr (forced by JSA_AVX2_VARIANT=lane-permute)".
    public var description: String {
        let ran = [avx2.map { "avx2 \($0)" }, avx512.map { "avx512 \($0)" }].compactMap { $0 }
        let variants = ran.isEmpty ? "no SIMD kernel" : ran.joined(separator: ", ")
        return variants + (forced.isEmpty ? " (the auto table's rule)" : " (forced by \(forced.joined(separator: ", ")))")
    }
}
