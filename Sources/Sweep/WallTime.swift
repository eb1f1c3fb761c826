import Measurement

/// Where a sweep's wall-clock time went, by phase (each size's passes, the Python ladder, the
/// callgrind pass), for the `wall_time` diagnostic: a preset that runs long says which phase to cut.
struct WallTime {
    let clock: MonotonicClock
    /// Seconds per phase, in the order phases first ran.
    private(set) var phases: [(name: String, seconds: Double)] = []
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

    /// `wall time 12.3 s: n=1000 0.9 s, n=10000 1.0 s, python 2.1 s, other 0.4 s`.
    var summary: String {
        let total = Double(clock.now() - start) / 1e9
        let other = total - phases.reduce(0) { $0 + $1.seconds }
        let parts = phases.map { "\($0.name) \(Self.format($0.seconds))" } + ["other \(Self.format(max(0, other)))"]
        return "wall time \(Self.format(total)) since the first size: " + parts.joined(separator: ", ")
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.1f s", seconds)
    }
}
