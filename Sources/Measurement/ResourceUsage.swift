import BenchModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ResourceUsage {
    /// The process's counters now.
    public static func now() -> ResourceUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return ResourceUsage(
            minorFaults: Double(usage.ru_minflt), majorFaults: Double(usage.ru_majflt),
            voluntaryContextSwitches: Double(usage.ru_nvcsw), involuntaryContextSwitches: Double(usage.ru_nivcsw))
    }
}
