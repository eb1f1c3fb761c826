/// An event the user asked to count, and whether this machine can count it.
public struct CounterEvent: Codable, Hashable, Sendable {
    /// PAPI's name: a preset (`PAPI_TOT_CYC`) or a native event (`FP_ARITH_INST_RETIRED:SCALAR_DOUBLE`).
    public var name: String
    /// The group it came from (`core`, `cache`, `branch`, `vector`), nil for `--events`.
    public var group: String?
    public var available: Bool
    /// Why it cannot be counted here: PAPI's message, e.g. "Event does not exist".
    public var unavailableReason: String?

    public init(name: String, group: String?, available: Bool, unavailableReason: String? = nil) {
        self.name = name
        self.group = group
        self.available = available
        self.unavailableReason = unavailableReason
    }

    enum CodingKeys: String, CodingKey {
        case name, group, available
        case unavailableReason = "unavailable_reason"
    }
}
