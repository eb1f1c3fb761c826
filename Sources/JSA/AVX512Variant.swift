internal import CJSAKernels

/// How the `avx512` kernel computes a row that fits the caches: four implementations of the same
/// operations (bit-identical output) that suit different cores. Rows written with streaming stores
/// take the avx2 kernel's loop in all four. Which one runs is decided per CPU by `AutoKernelTable`'s rule,
/// the same from the Swift API and the Python binding; a user chooses a kernel by name, not a
/// variant.
public enum AVX512Variant: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// 512-bit vectors; of every three lagged vectors two built from aligned 64-byte blocks with a
    /// two-source permute, one loaded across the line. For cores that run 512-bit operations whole.
    case zmmMixed = "zmm-mixed"
    /// 256-bit vectors (AVX-512VL); every lagged vector built from two aligned 32-byte blocks with
    /// one `valignq`, so no load splits a line. For cores that store 32 bytes per cycle and split
    /// 512-bit operations in two (AMD Zen 4).
    case ymmAlignr = "ymm-alignr"
    /// 512-bit vectors; as `zmmMixed` in rows whose input and output fit the L1d, and in longer
    /// rows every lagged vector built with the permute, so that no load splits a line
    /// (`jsa_permute_threshold`) — except calls whose output lies in the 256-bit window
    /// (`jsa_ymm_window_start`..<`jsa_ymm_window_end`, from 3/4 of the L1d to 1/8 of the L2, with
    /// AVX-512VL) with the input as aligned as the output modulo 32 bytes, which run `ymmAlignr`'s
    /// loop. For cores that permute cheaply, where beyond the L1 a load across lines costs more,
    /// and whose 512-bit loops lose to 256-bit ones while the data lies in the first quarter of
    /// the L2 (AMD Zen 5).
    case zmmPermute = "zmm-permute"
    /// As `ymmAlignr`, except calls whose output is below `jsa_ymm_ring_below()` (35/64 of the L1d:
    /// input and output together about 1.1x it) at periods 9-48, which run the avx2 kernel's
    /// `lag-ring` row: each input block loaded once and kept in registers until the lagged operand
    /// needs it, about one load a vector where `ymmAlignr` has two — and at odd periods below
    /// `jsa_valignq_ring_below()` (half the L1d), with the input as aligned as the output, a row of
    /// its own whose ring joins every lagged vector with one `valignq`. For cores where within the
    /// L1 that second load stream binds and beyond it the `valignq` loop is faster (AMD Zen 4).
    case ymmRing = "ymm-ring"

    public var description: String { rawValue }

    /// Whether the variant runs 256-bit AVX-512VL code, which a CPU without AVX-512VL cannot run.
    public var needsAVX512VL: Bool { jsa_avx512_variant_needs_vl(cVariant) != 0 }

    /// What the variant does, in a few words, for `jsa-bench env`.
    public var summary: String {
        switch self {
        case .zmmMixed: "512-bit vectors, two lagged vectors of three built with vpermt2pd, one loaded across lines"
        case .ymmAlignr: "256-bit vectors (AVX-512VL), every lagged vector built from aligned blocks with valignq"
        case .zmmPermute:
            "512-bit vectors as zmm-mixed within the L1d; in rows of \(permuteThresholdDescription) every lagged vector built with vpermt2pd"
                + "; \(ymmWindowDescription)"
        case .ymmRing: "as ymm-alignr; \(ringRowsDescription)"
        }
    }

    /// The variant the avx512 kernel runs in this process.
    public static var current: AVX512Variant { AVX512Variant(jsa_avx512_variant_current()) }

    /// The variant `JSA_AVX512_VARIANT` forces in this process, if any (`ForcedVariants`; never
    /// a variant that needs AVX-512VL on a CPU without it).
    public static var forced: AVX512Variant? {
        let forced = jsa_forced_avx512_variant()
        return forced < 0 ? nil : AVX512Variant(jsa_avx512_variant(rawValue: UInt32(forced)))
    }

    /// Whether this CPU has AVX-512VL, which `ymmAlignr` and `ymmRing` need.
    public static var avx512vlDetected: Bool { jsa_avx512vl_detected() != 0 }

    /// The variant the avx512 kernel runs in this process and why: forced by `JSA_AVX512_VARIANT`,
    /// or the rule's for this CPU.
    public static var currentChoice: (variant: AVX512Variant, reason: String) {
        if let forced { return (forced, "forced by \(ForcedVariants.avx512Variable)") }
        return choice(for: .current, avx512vl: avx512vlDetected)
    }

    /// The variant the avx512 kernel runs on `identity` — its rule's, `zmmMixed` where no rule
    /// covers the CPU or it lacks AVX-512VL — and why, in a few words.
    public static func choice(for identity: CPUIdentity, avx512vl: Bool) -> (variant: AVX512Variant, reason: String) {
        var cpu = identity.cIdentity
        let variant = AVX512Variant(jsa_avx512_variant_for(&cpu, avx512vl ? 1 : 0))
        guard let rule = AutoKernelTable.rule(for: identity) else {
            return (variant, "no rule for \(identity): the default")
        }
        if !avx512vl && rule.avx512Variant != variant {
            return (variant, "rule \"\(rule.name)\" runs \(rule.avx512Variant), which needs AVX-512VL, absent here")
        }
        return (variant, "rule \"\(rule.name)\"")
    }

    /// Where `zmmPermute` starts permuting every lagged vector, in words.
    private var permuteThresholdDescription: String {
        let bytes = jsa_permute_threshold()  // SIZE_MAX, -1 here: the L1d's size is unknown
        return bytes == -1 ? "no length (the L1d's size is unknown)" : "\(bytes / MemoryLayout<Double>.stride) doubles and more"
    }

    /// Which calls `zmmPermute` runs with `ymmAlignr`'s loop, in words.
    private var ymmWindowDescription: String {
        let start = jsa_ymm_window_start(), end = jsa_ymm_window_end()  // SIZE_MAX is -1 here
        guard start != -1, end > start else {
            return "no 256-bit window (\(end == 0 ? "no AVX-512VL or the L2's size unknown" : "the L1d's size unknown"))"
        }
        let double = MemoryLayout<Double>.stride
        return "ymm-alignr's 256-bit loop in calls writing \((start + double - 1) / double)-\((end - 1) / double) doubles"
            + " (input aligned as the output modulo 32 bytes, or 16 bytes off it at even periods: lane-permute's loop)"
    }

    /// Which calls `ymmRing` hands to the avx2 kernel's `lag-ring` row, in words.
    private var ringRowsDescription: String {
        let below = jsa_ymm_ring_below()
        guard below > 0 else { return "no call runs lag-ring's row (the L1d's size is unknown)" }
        let double = MemoryLayout<Double>.stride, odd = jsa_valignq_ring_below()
        return "calls writing fewer than \((below + double - 1) / double) doubles at periods 9-48 run the avx2 kernel's lag-ring row"
            + " (at odd periods below \((odd + double - 1) / double) doubles, the input aligned as the output, a valignq ring of its own)"
    }

    init(_ variant: jsa_avx512_variant) {
        switch variant {
        case JSA_AVX512_YMM_ALIGNR: self = .ymmAlignr
        case JSA_AVX512_ZMM_PERMUTE: self = .zmmPermute
        case JSA_AVX512_YMM_RING: self = .ymmRing
        default: self = .zmmMixed
        }
    }

    /// The C tag of the variant.
    var cVariant: jsa_avx512_variant {
        switch self {
        case .zmmMixed: JSA_AVX512_ZMM_MIXED
        case .ymmAlignr: JSA_AVX512_YMM_ALIGNR
        case .zmmPermute: JSA_AVX512_ZMM_PERMUTE
        case .ymmRing: JSA_AVX512_YMM_RING
        }
    }
}
