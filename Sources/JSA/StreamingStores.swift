internal import CJSAKernels

/// Where the SIMD kernels write with streaming (non-temporal) stores: a call whose output (a
/// batch's whole output) is at least `threshold` bytes, by default 3/8 of the L3, lower on a CPU
/// class whose rule in `AutoKernelTable` measured that streaming pays from a smaller output
/// (`Rule.streamingFrom`; docs/kernels.md, "When the kernels stream"). The scalar kernel never
/// streams; the values written are the same either way. A streamed row of at least
/// `interleavedFrom` bytes writes `pages` stretches of 4 KiB interleaved where its rule says so
/// (`Rule.streamingPages`, `Rule.streamingInterleavedFrom`), else in order.
public enum StreamingStores {
    /// The threshold in bytes on `identity` with an L3 of `l3Bytes` (nil: unknown), with why and how
    /// a streamed row walks its output, in one sentence; nil bytes where the kernels never stream
    /// (no L3 size and no rule's threshold).
    public static func choice(for identity: CPUIdentity, l3Bytes: Int?) -> (bytes: Int?, reason: String) {
        var cpu = identity.cIdentity
        let l3 = l3Bytes.map(UInt.init) ?? UInt.max
        let threshold = jsa_streaming_threshold_for_cpu(&cpu, Int(bitPattern: l3))
        let fromL3 = jsa_streaming_threshold_for_l3(Int(bitPattern: l3))
        let bytes = threshold == -1 ? nil : threshold  // SIZE_MAX: never
        guard let bytes else {
            return (nil, "the SIMD kernels never stream: the L3's size is unknown and no rule sets a threshold for \(identity)")
        }
        let written = "SIMD calls writing \(mebibytes(bytes)) or more use streaming stores"
        let rule = AutoKernelTable.rule(for: identity)
        let from: String
        if bytes != fromL3, let rule {
            let l3Part = fromL3 == -1 ? "the L3's size is unknown" : "3/8 of the L3 would be \(mebibytes(fromL3))"
            from = "\(written): rule \"\(rule.name)\" (\(l3Part))"
        } else {
            from = "\(written): 3/8 of the L3, where input and output fill 3/4 of it"
        }
        let pages = Int(jsa_streaming_pages_for_cpu(&cpu))
        let interleavedFrom = jsa_interleaved_streaming_threshold_for_cpu(&cpu)
        let walk =
            if pages > 1, interleavedFrom != -1, let rule {
                "; rows of \(mebibytes(max(bytes, interleavedFrom))) or more in \(pages) stretches of 4 KiB written interleaved, "
                    + "the others in order (rule \"\(rule.name)\")"
            } else {
                "; in order"
            }
        return (bytes, from + walk)
    }

    /// The threshold this process's kernels use now, bytes (nil: never); tests and tuning can set
    /// it in C (`jsa_set_streaming_threshold`).
    public static var threshold: Int? {
        let bytes = jsa_streaming_threshold()
        return bytes == -1 ? nil : bytes
    }

    /// The stretches of 4 KiB this process's streamed rows write interleaved now (1: in order);
    /// tests and tuning can set it in C (`jsa_set_streaming_pages`).
    public static var pages: Int { Int(jsa_streaming_pages()) }

    /// The streamed rows this process interleaves now, bytes (nil: none); tests and tuning can set
    /// it in C (`jsa_set_interleaved_streaming_threshold`).
    public static var interleavedFrom: Int? {
        let bytes = jsa_interleaved_streaming_threshold()
        return bytes == -1 ? nil : bytes
    }

    private static func mebibytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MiB"
    }
}
