import Measurement

/// Where a sweep's wall-clock time went, by phase (each size's passes, the Python ladder, the
/// callgrind pass), for the `wall_time` diagnostic: a preset that runs long says which phase to cut,
/// and within a size, how much of it its measuring processes' setup and its waits for the host's
/// fast level took.
struct WallTime {
    let clock: MonotonicClock
    /// Seconds per phase, in the order phases first ran.
    private(set) var phases: [(name: String, seconds: Double)] = []
    /// Named parts of a phase's seconds, by phase, in the order first added (already counted in
    /// the phase's own seconds).
    private(set) var parts: [String: [(name: String, seconds: Double)]] = [:]
    private let start: UInt64

    init(clock: MonotonicClock) {
        self.clock = clock
        start = clock.now()
    }

    /// Runs `body`, adding its wall time to phase `name`.
    mutating func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let before = clock.now()
        defer {
            let seconds = Double(clock.now() - before) / 1e9
            if let index = phases.firstIndex(where: { $0.name == name }) {
                phases[index].seconds += seconds
            } else {
                phases.append((name, seconds))
            }
        }
        return try body()
    }

    /// Adds `seconds` of phase `phase`'s time to its part `part` (a part of no time is not said).
    mutating func add(_ seconds: Double, toPart part: String, of phase: String) {
        guard seconds > 0 else { return }
        var named = parts[phase] ?? []
        if let index = named.firstIndex(where: { $0.name == part }) {
            named[index].seconds += seconds
        } else {
            named.append((part, seconds))
        }
        parts[phase] = named
    }

    /// `wall time 12.3 s since the first size: n=1000 0.9 s (setup 0.2 s), python 2.1 s, other 0.4 s`.
    var summary: String {
        let total = Double(clock.now() - start) / 1e9
        let other = total - phases.reduce(0) { $0 + $1.seconds }
        let said = phases.map { phase in
            let named = (parts[phase.name] ?? []).map { "\($0.name) \(Self.format($0.seconds))" }
            return "\(phase.name) \(Self.format(phase.seconds))" + (named.isEmpty ? "" : " (\(named.joined(separator: ", ")))")
        }
        let everything = said + ["other \(Self.format(max(0, other)))"]
        return "wall time \(Self.format(total)) since the first size: " + everything.joined(separator: ", ")
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.1f s", seconds)
    }
}
