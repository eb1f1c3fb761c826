/// Machine-wide CPU time from the first line of /proc/stat, to tell how much of a run's wall time
/// the hypervisor gave to other guests (steal) or other processes used (busy).
public struct CPUTimeShares: Hashable, Sendable {
    /// Jiffies, summed over CPUs.
    public var total: UInt64
    public var idle: UInt64
    public var steal: UInt64

    public init(total: UInt64, idle: UInt64, steal: UInt64) {
        self.total = total
        self.idle = idle
        self.steal = steal
    }

    /// The counters now, or nil where /proc/stat is not readable.
    public static func now() -> CPUTimeShares? {
        SysfsText.read("/proc/stat").flatMap { parse($0) }
    }

    /// Parses the aggregate `cpu` line: user nice system idle iowait irq softirq steal ...
    static func parse(_ text: String) -> CPUTimeShares? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 8 else { return nil }
        // guest and guest_nice (fields 9, 10) are already counted in user and nice.
        let total = fields.prefix(8).reduce(0, +)
        return CPUTimeShares(total: total, idle: fields[3] + fields[4], steal: fields[7])
    }

    /// Fraction of the CPU time between `start` and `self` that was stolen by the hypervisor.
    public func stealFraction(since start: CPUTimeShares) -> Double? {
        guard total > start.total else { return nil }
        return Double(steal &- start.steal) / Double(total - start.total)
    }
}
