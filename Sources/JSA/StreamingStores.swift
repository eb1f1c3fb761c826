internal import CJSAKernels

/// Where the SIMD kernels write with streaming (non-temporal) stores: a call whose output (a
/// batch's whole output) is at least `threshold` bytes, by default 3/8 of the L3, lower on a CPU
/// class whose rule in `AutoKernelTable` measured that streaming pays from a smaller output
/// (`Rule.streamingFrom`; docs/kernels.md, "When the kernels stream"). The scalar kernel never
/// streams; the values written are the same either way.
public enum StreamingStores {
    /// The threshold in bytes on `identity` with an L3 of `l3Bytes` (nil: unknown), and why, in one
    /// sentence; nil bytes where the kernels never stream (no L3 size and no rule).
    public static func choice(for identity: CPUIdentity, l3Bytes: Int?) -> (bytes: Int?, reason: String) {
        var cpu = identity.cIdentity
        let l3 = l3Bytes.map(UInt.init) ?? UInt.max
        let threshold = jsa_streaming_threshold_for_cpu(&cpu, Int(bitPattern: l3))
        let fromL3 = jsa_streaming_threshold_for_l3(Int(bitPattern: l3))
        let bytes = threshold == -1 ? nil : threshold  // SIZE_MAX: never
        guard let bytes else {
            return (nil, "the SIMD kernels never stream: the L3's size is unknown and no rule covers \(identity)")
        }
        let written = "SIMD calls writing \(mebibytes(bytes)) or more use streaming stores"
        if bytes != fromL3, let rule = AutoKernelTable.rule(for: identity) {
            let l3Part = fromL3 == -1 ? "the L3's size is unknown" : "3/8 of the L3 would be \(mebibytes(fromL3))"
            return (bytes, "\(written): rule \"\(rule.name)\" (\(l3Part))")
        }
        return (bytes, "\(written): 3/8 of the L3, where input and output fill 3/4 of it")
    }

    /// The threshold this process's kernels use now, bytes (nil: never); tests and tuning can set
    /// it in C (`jsa_set_streaming_threshold`).
    public static var threshold: Int? {
        let bytes = jsa_streaming_threshold()
        return bytes == -1 ? nil : bytes
    }

    private static func mebibytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MiB"
    }
}
