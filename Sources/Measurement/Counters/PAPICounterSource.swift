import BenchModel
import CPAPI

/// Counts events with a PAPI event set on the CPU component, multiplexed when more events are
/// asked for than the component has counters.
public final class PAPICounterSource: CounterSource {
    public let events: [CounterEvent]
    private var eventSet: Int32 = PAPI_NULL
    private let multiplexed: Bool
    private var values: [Int64]

    /// An event name PAPI does not know at all (so `--events` was mistyped, or names an event of
    /// another CPU); `jsa-bench env` lists what this machine has.
    public struct UnknownEvent: Error, CustomStringConvertible {
        public let name: String
        public let reason: String
        public var description: String {
            let shown = name.count > 80 ? "\(name.prefix(80))… (\(name.utf8.count) bytes)" : name
            return "unknown event '\(shown)' (PAPI: \(reason)); `jsa-bench env` lists the components and events of this machine"
        }
    }

    /// Resolves `names` (with their groups) into an event set.
    ///
    /// - Parameter strict: names that PAPI cannot even resolve throw `UnknownEvent` (explicit
    ///   `--events`); otherwise they are recorded as unavailable (default groups).
    public init(names: [(name: String, group: String?)], strict: Bool) throws(UnknownEvent) {
        var events: [CounterEvent] = []
        var codes: [Int32] = []
        if let initError = PAPILibrary.prepareThisThread() {
            events = names.map {
                CounterEvent(name: $0.name, group: $0.group, available: false, unavailableReason: "PAPI did not initialise: \(initError)")
            }
            self.events = events
            multiplexed = false
            values = []
            return
        }
        for (name, group) in names {
            var code: Int32 = 0
            let status = Self.nameStatus(name, code: &code)
            if status != PAPI_OK {
                if strict { throw UnknownEvent(name: name, reason: PAPILibrary.message(status)) }
                events.append(
                    CounterEvent(
                        name: name, group: group, available: false,
                        unavailableReason: "\(PAPILibrary.message(status)) (no such event on this CPU)"))
                continue
            }
            events.append(CounterEvent(name: name, group: group, available: true))
            codes.append(code)
        }
        // Each event alone first: its own availability and PAPI's reason, undisturbed by the others.
        var codeIndex = 0
        var usable: [Int32] = []
        for i in events.indices where events[i].available {
            let status = Self.probe(codes[codeIndex])
            codeIndex += 1
            if status == PAPI_OK {
                usable.append(codes[codeIndex - 1])
            } else {
                events[i].available = false
                events[i].unavailableReason = PAPILibrary.message(status)
            }
        }
        // Then together, multiplexed when they outnumber the CPU component's counters.
        let counters = PAPILibrary.component(0)?.counters ?? 0
        multiplexed = usable.count > counters && counters > 0
        var set = PAPI_NULL
        if !usable.isEmpty {
            _ = PAPI_create_eventset(&set)
            if multiplexed {
                _ = PAPI_multiplex_init()
                _ = PAPI_assign_eventset_component(set, 0)
                _ = PAPI_set_multiplex(set)
            }
            var u = 0
            for i in events.indices where events[i].available {
                let status = PAPI_add_event(set, usable[u])
                u += 1
                if status != PAPI_OK {
                    events[i].available = false
                    events[i].unavailableReason = "cannot be counted together with the other events (PAPI: \(PAPILibrary.message(status)))"
                }
            }
        }
        self.events = events
        eventSet = set
        values = [Int64](repeating: 0, count: events.filter(\.available).count)
    }

    /// Whether `code` can be counted on its own: PAPI_OK or PAPI's error.
    private static func probe(_ code: Int32) -> Int32 {
        var set = PAPI_NULL
        let created = PAPI_create_eventset(&set)
        guard created == PAPI_OK else { return created }
        let status = PAPI_add_event(set, code)
        _ = PAPI_cleanup_eventset(set)
        _ = PAPI_destroy_eventset(&set)
        return status
    }

    /// The first of `names` that PAPI cannot resolve, as an error (nil when all resolve, or when
    /// PAPI did not initialise — then every event is reported unavailable instead).
    public static func firstUnknown(_ names: [String]) -> UnknownEvent? {
        guard PAPILibrary.prepareThisThread() == nil else { return nil }
        for name in names {
            let status = nameStatus(name)
            if status != PAPI_OK { return UnknownEvent(name: name, reason: PAPILibrary.message(status)) }
        }
        return nil
    }

    /// Whether PAPI initialised and knows `name` on this CPU (it need not be countable here).
    public static func resolves(_ name: String) -> Bool {
        PAPILibrary.prepareThisThread() == nil && nameStatus(name) == PAPI_OK
    }

    /// The longest event name handed to PAPI, bytes: PAPI 7 formats names into fixed buffers
    /// (`sprintf` into PAPI_HUGE_STR_LEN bytes: an 8192-character name overflowed it and aborted
    /// the process), and no real event name comes near this.
    public static let maximumNameBytes = 255

    private static func nameStatus(_ name: String) -> Int32 {
        var code: Int32 = 0
        return nameStatus(name, code: &code)
    }

    /// PAPI's verdict on `name`, without handing PAPI a name it cannot hold: too long, or with
    /// bytes outside printable ASCII, is "no such event" here.
    private static func nameStatus(_ name: String, code: inout Int32) -> Int32 {
        guard name.utf8.count <= maximumNameBytes, name.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            return PAPI_ENOEVNT
        }
        return PAPI_event_name_to_code(name, &code)
    }

    public func start() {
        guard !values.isEmpty else { return }
        _ = PAPI_start(eventSet)
    }

    public func stop() -> [RawCount] {
        guard !values.isEmpty else { return [] }
        _ = values.withUnsafeMutableBufferPointer { PAPI_stop(eventSet, $0.baseAddress) }
        return values.map { RawCount(value: UInt64(max(0, $0)), multiplexed: multiplexed) }
    }

    deinit {
        if eventSet != PAPI_NULL {
            _ = PAPI_cleanup_eventset(eventSet)
            _ = PAPI_destroy_eventset(&eventSet)
        }
    }
}

extension VectorWidthEvents {
    /// The vocabulary PAPI knows on this CPU (libpfm4 names events by the CPU model, so this holds
    /// even where the kernel exposes no PMU and nothing can be counted).
    public static let onThisMachine = select(resolves: PAPICounterSource.resolves)
}
