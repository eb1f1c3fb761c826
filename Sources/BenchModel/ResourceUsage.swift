/// The OS counters of `getrusage(RUSAGE_SELF)` that explain allocation and scheduling costs.
/// Always available, PMU or not.
public struct ResourceUsage: Codable, Hashable, Sendable {
    /// Page faults served without I/O (first touch of fresh pages).
    public var minorFaults: Double
    /// Page faults that needed I/O.
    public var majorFaults: Double
    public var voluntaryContextSwitches: Double
    public var involuntaryContextSwitches: Double

    public init(
        minorFaults: Double = 0, majorFaults: Double = 0, voluntaryContextSwitches: Double = 0,
        involuntaryContextSwitches: Double = 0
    ) {
        self.minorFaults = minorFaults
        self.majorFaults = majorFaults
        self.voluntaryContextSwitches = voluntaryContextSwitches
        self.involuntaryContextSwitches = involuntaryContextSwitches
    }

    enum CodingKeys: String, CodingKey {
        case minorFaults = "minor_faults"
        case majorFaults = "major_faults"
        case voluntaryContextSwitches = "voluntary_context_switches"
        case involuntaryContextSwitches = "involuntary_context_switches"
    }

    public static func - (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            minorFaults: lhs.minorFaults - rhs.minorFaults, majorFaults: lhs.majorFaults - rhs.majorFaults,
            voluntaryContextSwitches: lhs.voluntaryContextSwitches - rhs.voluntaryContextSwitches,
            involuntaryContextSwitches: lhs.involuntaryContextSwitches - rhs.involuntaryContextSwitches)
    }

    public static func + (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            minorFaults: lhs.minorFaults + rhs.minorFaults, majorFaults: lhs.majorFaults + rhs.majorFaults,
            voluntaryContextSwitches: lhs.voluntaryContextSwitches + rhs.voluntaryContextSwitches,
            involuntaryContextSwitches: lhs.involuntaryContextSwitches + rhs.involuntaryContextSwitches)
    }

    /// Every counter divided by `calls` (per-call rates).
    public func perCall(_ calls: Int) -> ResourceUsage {
        let n = Double(max(calls, 1))
        return ResourceUsage(
            minorFaults: minorFaults / n, majorFaults: majorFaults / n,
            voluntaryContextSwitches: voluntaryContextSwitches / n, involuntaryContextSwitches: involuntaryContextSwitches / n)
    }
}
