import BenchModel
import Measurement

extension PageSize {
    /// Makes what the measuring processes this process starts from now on allocate for themselves
    /// lie on these pages too, not only the buffers they map and advise (`Workload`): the
    /// allocating cases' outputs, which malloc maps, and the Python helper's NumPy arrays. For
    /// `base` transparent huge pages are disallowed for this process and so for every process it
    /// starts (where the system's policy is `always`, malloc's and NumPy's large blocks would
    /// otherwise take huge pages that no advice of the sweep's reaches); for `huge` they are
    /// allowed, as the buffers' advice and NumPy's need (a parent may have disallowed them).
    ///
    /// The state is the whole process's: the command that starts the measuring processes sets it,
    /// never the runners, which also serve callers (the tests) measuring other pages side by side.
    /// - Returns: why the pages could not be set, as a warning's message; nil when they were.
    public func prepareMeasuringProcesses() -> String? {
        do {
            try HugePages.disallowForThisProcess(self == .base)
            return nil
        } catch {
            return "\(error); what the measuring processes allocate beyond their buffers (the allocating cases' outputs, "
                + "NumPy's arrays) takes the pages the system's policy gives"
        }
    }
}
