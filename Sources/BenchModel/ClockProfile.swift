/// What a clock can resolve and what reading it costs, measured at start-up.
public struct ClockProfile: Codable, Hashable, Sendable {
    /// Smallest non-zero difference between consecutive reads, in ns (the effective resolution).
    public var resolutionNs: Double
    /// Median cost of one read, in ns (two reads bracket every sample).
    public var readOverheadNs: Double
    /// What `clock_getres` reports, in ns, where available.
    public var declaredResolutionNs: Double?

    public init(resolutionNs: Double, readOverheadNs: Double, declaredResolutionNs: Double? = nil) {
        self.resolutionNs = resolutionNs
        self.readOverheadNs = readOverheadNs
        self.declaredResolutionNs = declaredResolutionNs
    }

    enum CodingKeys: String, CodingKey {
        case resolutionNs = "resolution_ns"
        case readOverheadNs = "read_overhead_ns"
        case declaredResolutionNs = "declared_resolution_ns"
    }
}
