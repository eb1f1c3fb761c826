internal import CJSAKernels

/// The pages of the arrays the allocating calls (`jsa`, `jsaBatch`) return: an output of
/// `hugePageMinimumBytes` or more is advised `MADV_HUGEPAGE` before the kernel writes it
/// (`jsa_advise_new_output`; docs/kernels.md, "The pages of a new output").
public enum NewOutputPages {
    /// The smallest output, in bytes, that is advised huge pages: NumPy's threshold (4 MiB).
    public static let hugePageMinimumBytes = Int(JSA_HUGE_PAGE_MINIMUM_BYTES)

    /// What the advice does on a system whose transparent-huge-page mode is `policy` (`always`,
    /// `madvise`, `never`; nil: unknown) in a process where huge pages are `disallowed`
    /// (`PR_SET_THP_DISABLE`), as one line.
    public static func effect(policy: String?, disallowed: Bool) -> String {
        let advice = "jsa and jsaBatch advise new outputs of \(hugePageMinimumBytes >> 20) MiB and more huge pages"
        if disallowed {
            return advice + ": no effect in this process, which has huge pages disallowed (PR_SET_THP_DISABLE)"
        }
        switch policy {
        case "madvise": return advice + ": they get them where the kernel finds free 2 MiB frames (transparent huge pages madvise)"
        case "always": return advice + ": the system gives every large mapping huge pages anyway (transparent huge pages always)"
        case "never": return advice + ": no effect, the system never uses huge pages (transparent huge pages never)"
        default: return advice + "; the system's transparent-huge-page policy is unknown"
        }
    }
}
