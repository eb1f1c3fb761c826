/// The pages the sweep's buffers are mapped on (`--pages`). Where a row's input and output lie in
/// memory decides part of its time beyond the L2 — page walks, and which physical lines share a
/// cache set — and the system's transparent-huge-page policy would otherwise decide it unrecorded.
public enum PageSize: String, Codable, CaseIterable, Sendable {
    /// 4 KiB pages, whatever the system's policy: every buffer advised `MADV_NOHUGEPAGE`, and the
    /// command's measuring processes started with transparent huge pages disallowed, so that what
    /// they allocate for themselves (the allocating cases' outputs, NumPy's arrays) lies on 4 KiB
    /// pages too.
    case base
    /// 2 MiB transparent huge pages: every buffer mapped from a 2 MiB boundary (plus its offset within
    /// a page), its mapping a whole number of 2 MiB, and advised `MADV_HUGEPAGE` — what NumPy asks
    /// for its arrays of 4 MiB and more on Linux (`NUMPY_MADVISE_HUGEPAGE`, on by default), so rows
    /// of that size called from Python mostly run on huge pages. The kernel grants them only where
    /// its policy allows and it finds free 2 MiB frames (`PageBacking` says how many it did).
    case huge

    /// Bytes per page.
    public var bytes: Int {
        switch self {
        case .base: return 4096
        case .huge: return 2 << 20
        }
    }

    /// The pages in a few words, for reports: "4 KiB pages", "2 MiB huge pages".
    public var name: String {
        switch self {
        case .base: return "4 KiB pages"
        case .huge: return "2 MiB huge pages"
        }
    }
}

/// How much of a process's buffers the kernel backed with huge pages, as its memory map reported
/// after they were first touched.
public struct PageBacking: Codable, Equatable, Sendable {
    /// Bytes mapped for the buffers.
    public var bytes: Int
    /// Of those, bytes in transparent huge pages (`AnonHugePages` of /proc/self/smaps).
    public var hugeBytes: Int

    public init(bytes: Int, hugeBytes: Int) {
        self.bytes = bytes
        self.hugeBytes = hugeBytes
    }

    /// The fraction of the bytes in huge pages, 0...1 (0 for no bytes).
    public var hugeShare: Double { bytes > 0 ? min(1, Double(hugeBytes) / Double(bytes)) : 0 }

    /// Whether the backing is what `pages` asked for: every byte in huge pages, or none.
    public func matches(_ pages: PageSize) -> Bool {
        switch pages {
        case .base: return hugeBytes == 0
        case .huge: return hugeBytes >= bytes
        }
    }

    enum CodingKeys: String, CodingKey {
        case bytes
        case hugeBytes = "huge_bytes"
    }
}

extension PageSize {
    /// What the measuring processes of one size say against this request, as one clause for a
    /// warning; nil when every process's buffers were paged as asked. `backings` holds one entry
    /// per process, nil for one that did not say (a worker of a build before `--pages`, which maps
    /// as the system's policy decides: a shortfall where huge pages were asked for or the policy
    /// is `always`); `policy` is the system's transparent-huge-page mode.
    public func shortfall(of backings: [PageBacking?], policy: String?) -> String? {
        let reported = backings.compactMap { $0 }
        let mismatched = reported.filter { !$0.matches(self) }
        let silent = self == .huge || policy == "always" ? backings.count - reported.count : 0
        guard !mismatched.isEmpty || silent > 0 else { return nil }
        var parts: [String] = []
        if !mismatched.isEmpty {
            let shares = mismatched.map(\.hugeShare)
            let range = [shares.min()!, shares.max()!].map { Format.percent($0) }
            parts.append(
                "\(mismatched.count) of \(backings.count) measuring processes had "
                    + "\(range[0] == range[1] ? range[0] : "\(range[0])–\(range[1])") of their buffers' bytes in huge pages")
        }
        if silent > 0 {
            parts.append(
                "\(silent) of \(backings.count) measuring processes did not say how their buffers were paged (a build "
                    + "before --pages maps them as the system's policy decides)")
        }
        return "\(self == .huge ? "huge" : "4 KiB") pages asked for, but \(parts.joined(separator: "; ")) "
            + "(transparent huge pages: \(policy ?? "policy unknown"))"
    }
}
