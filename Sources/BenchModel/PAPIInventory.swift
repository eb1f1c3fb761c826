/// What PAPI offers on a machine: its version, components and events (`jsa-bench env`, the results
/// document's environment).
public struct PAPIInventory: Codable, Hashable, Sendable {
    /// One PAPI component (perf_event, perf_event_uncore, sde, ...), as PAPI describes it.
    public struct Component: Codable, Hashable, Sendable {
        public var index: Int
        public var name: String
        public var enabled: Bool
        /// PAPI's own reason when disabled.
        public var disabledReason: String?
        /// Hardware counters the component can run at once.
        public var counters: Int
        /// Native events the component lists.
        public var nativeEvents: Int

        public init(index: Int, name: String, enabled: Bool, disabledReason: String?, counters: Int, nativeEvents: Int) {
            self.index = index
            self.name = name
            self.enabled = enabled
            self.disabledReason = disabledReason
            self.counters = counters
            self.nativeEvents = nativeEvents
        }

        enum CodingKeys: String, CodingKey {
            case index, name, enabled
            case disabledReason = "disabled_reason"
            case counters
            case nativeEvents = "native_events"
        }
    }

    /// `7.0.0` — or nil with `initError` when the library could not initialise.
    public var version: String?
    public var initError: String?
    public var components: [Component]
    /// Preset events (PAPI_TOT_CYC, ...) that map to counters on this machine.
    public var availablePresets: Int
    public var nativeEvents: Int

    public init(version: String?, initError: String?, components: [Component], availablePresets: Int, nativeEvents: Int) {
        self.version = version
        self.initError = initError
        self.components = components
        self.availablePresets = availablePresets
        self.nativeEvents = nativeEvents
    }

    enum CodingKeys: String, CodingKey {
        case version
        case initError = "init_error"
        case components
        case availablePresets = "available_presets"
        case nativeEvents = "native_events"
    }
}
