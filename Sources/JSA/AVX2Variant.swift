internal import CJSAKernels

/// How the `avx2` kernel loads a lagged operand that starts two doubles into an aligned 32-byte
/// block (periods of 4k + 2 where input and output agree modulo 32 bytes, the default period 30
/// among them): three implementations of the same operations (bit-identical output) that suit
/// different cores. Elsewhere, and in rows written with streaming stores, all load it as it lies
/// (`lagRing` takes an input two doubles into its block too).
/// Which one runs is decided per CPU by `AutoKernelTable`'s rule, the same from the Swift API and
/// the Python binding; a user chooses a kernel by name, not a variant.
public enum AVX2Variant: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Every lagged vector loaded as it lies, across two lines where it spans them. For cores
    /// whose lane-crossing permute is slow (AMD family 0x17), and the default.
    case splitLoads = "split-loads"
    /// At offset two, each lagged vector built from two aligned 32-byte blocks with one
    /// `vperm2f128`, so no load splits a line. For cores that permute lanes in a cycle and pay
    /// twice for a load across lines (AMD Zen 4).
    case lanePermute = "lane-permute"
    /// At periods of 4q − 2 (3 ≤ q ≤ 12: 10, 14, …, 46) with one operand on a 32-byte block and
    /// the other two doubles into one (the lagged operand, or the input of an array 16 bytes off a
    /// line), each aligned block of the input loaded once and kept in a ring of q registers until
    /// the lagged operand needs it; a vector of the off-block operand built with `vperm2f128` only
    /// where it would cross a line, loaded as it lies where not. At odd periods 9–47 with the input
    /// on its block likewise with a ring of ⌈period / 4⌉ blocks, every other lagged vector that would
    /// cross a line joined with `vperm2f128` and `vshufpd`, the rest loaded across. At periods 4q
    /// (12–48) with the input off its block, and with it on its block in rows whose output is below
    /// the L1d's size, each input vector loaded once and kept in a ring of q registers until it is
    /// the lagged one; at odd periods 9–47 with the input 16 bytes off its
    /// line the input's crossing vectors joined from blocks with `vperm2f128`, and the lagged
    /// vectors that would cross a line each one `vshufpd` of such a vector and a block, built then
    /// and kept in a ring of at most ⌈q / 2⌉ registers. Elsewhere `splitLoads` in rows
    /// whose input and output fit 1.25× the L1d and `lanePermute` in longer ones. For cores where at L1 both the split loads (the load ports)
    /// and a permute per vector (the vector pipes, beside the add and the multiply) bind, and beyond
    /// it the split loads lose (AMD Zen 3).
    case lagRing = "lag-ring"

    public var description: String { rawValue }

    /// What the variant does, in a few words, for `jsa-bench env`.
    public var summary: String {
        switch self {
        case .splitLoads: "every lagged vector loaded as it lies, across lines where it spans two"
        case .lanePermute: "lagged vectors two doubles into a block built from aligned blocks with vperm2f128"
        case .lagRing:
            "at periods 4q - 2 (3 <= q <= 12) input blocks kept in a ring of q registers, every other vector of the "
                + "operand off its block joined from two with vperm2f128 (at odd periods 9-47 half of those, with vshufpd too); "
                + "at periods 4q (12-48) with the input off its block (on it: \(vectorRingRowsDescription)) a ring of q input "
                + "vectors; at odd periods 9-47 with the input 16 bytes off its line a ring of crossing lagged vectors "
                + "built with vshufpd; "
                + "other rows as split-loads in \(splitRowsDescription), as lane-permute in longer ones"
        }
    }

    /// The rows with the input on its block that `lagRing` runs with its ring of input vectors at
    /// periods 4q, in words.
    private var vectorRingRowsDescription: String {
        let bytes = jsa_avx2_vector_ring_below()  // 0 where the L1d's size is unknown
        return bytes == 0 ? "no row, the L1d's size unknown" : "rows below \(bytes / MemoryLayout<Double>.stride) doubles"
    }

    /// The rows `lagRing` runs with split loads, in words.
    private var splitRowsDescription: String {
        let bytes = jsa_avx2_permute_from()  // SIZE_MAX, -1 here: the L1d's size is unknown
        return bytes == -1 ? "every row (the L1d's size is unknown)" : "rows below \(bytes / MemoryLayout<Double>.stride) doubles"
    }

    /// The variant the avx2 kernel runs in this process.
    public static var current: AVX2Variant { AVX2Variant(jsa_avx2_variant_current()) }

    /// The variant `JSA_AVX2_VARIANT` forces in this process, if any (`ForcedVariants`).
    public static var forced: AVX2Variant? {
        let forced = jsa_forced_avx2_variant()
        return forced < 0 ? nil : AVX2Variant(jsa_avx2_variant(rawValue: UInt32(forced)))
    }

    /// The variant the avx2 kernel runs in this process and why: forced by `JSA_AVX2_VARIANT`, or
    /// the rule's for this CPU.
    public static var currentChoice: (variant: AVX2Variant, reason: String) {
        if let forced { return (forced, "forced by \(ForcedVariants.avx2Variable)") }
        return choice(for: .current)
    }

    /// The variant the avx2 kernel runs on `identity` — its rule's, `splitLoads` where no rule
    /// covers the CPU — and why, in a few words.
    public static func choice(for identity: CPUIdentity) -> (variant: AVX2Variant, reason: String) {
        var cpu = identity.cIdentity
        let variant = AVX2Variant(jsa_avx2_variant_for(&cpu))
        guard let rule = AutoKernelTable.rule(for: identity) else {
            return (variant, "no rule for \(identity): the default")
        }
        return (variant, "rule \"\(rule.name)\"")
    }

    init(_ variant: jsa_avx2_variant) {
        switch variant {
        case JSA_AVX2_LANE_PERMUTE: self = .lanePermute
        case JSA_AVX2_LAG_RING: self = .lagRing
        default: self = .splitLoads
        }
    }

    /// The C tag of the variant.
    var cVariant: jsa_avx2_variant {
        switch self {
        case .splitLoads: JSA_AVX2_SPLIT_LOADS
        case .lanePermute: JSA_AVX2_LANE_PERMUTE
        case .lagRing: JSA_AVX2_LAG_RING
        }
    }
}
