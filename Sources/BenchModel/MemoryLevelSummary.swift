/// How fast the host let one size's rounds reach the caches and memory (`analysis.memory_levels`):
/// the copy references timed in every round (memcpy, the copy loop, STREAM add) over their own
/// fast level, where the speed probe, a loop on the core, cannot see it. The last-level cache and
/// the memory are shared with the host's other guests, whose traffic slows the cases that move
/// data while the probe reads the fast level. Such a size's times are the mix of the levels its
/// run met, and move from run to run with it; ratios to memcpy within rounds move far less.
public struct MemoryLevelSummary: Codable, Hashable, Sendable {
    /// A round's slowdown (the median over the references of their time over their fast level)
    /// beyond which it ran at a slower level: a level apart, not the references' spread within one.
    /// On the AMD EPYC Zen 3 guest (2026-12-07 09:16, 8 runs of `jsa-bench reproduce --runs 8 --
    /// --sizes 1e3,1e4,1e5 --kernels scalar,avx2`, the speed probe at 1.15 µs in every run) memcpy
    /// at n = 100000 (1.6 MB, in the L3) ran at 20.4 µs, 26.5 µs or 28.6 µs in stretches of
    /// seconds, within 7% of 20.4 µs in a stretch at the fast level: the slower levels 1.29× and
    /// 1.39× it.
    public static let slowdown = 1.15
    /// The share of a size's rounds at a slower level from which the run warns of it. In the runs
    /// above (re-analysed), rounds slow and scattered in time took 2–12% of a run's rounds at
    /// n = 100000 in the five runs whose processes sat at one level; in the three where the slower
    /// level lasted whole processes, 28–68%.
    public static let noteShare = 0.2

    public var n: Int
    /// memcpy's fast level at this size, ns (nil where memcpy was not timed).
    public var memcpyFastNs: Double?
    /// Rounds with a reading (two or more references at the probe's fast level), and how many of
    /// them ran beyond `slowdown`.
    public var rounds: Int
    public var slowRounds: Int
    /// The largest round slowdown (1: the fast level).
    public var slowest: Double

    public init(n: Int, memcpyFastNs: Double?, rounds: Int, slowRounds: Int, slowest: Double) {
        self.n = n
        self.memcpyFastNs = memcpyFastNs
        self.rounds = rounds
        self.slowRounds = slowRounds
        self.slowest = slowest
    }

    enum CodingKeys: String, CodingKey {
        case n
        case memcpyFastNs = "memcpy_fast_ns"
        case rounds
        case slowRounds = "slow_rounds"
        case slowest
    }

    /// Whether the run met a slower level at this size in `noteShare` of its rounds or more.
    public var isNoted: Bool { rounds > 0 && Double(slowRounds) >= Self.noteShare * Double(rounds) }

    /// The run's note of this size, where `isNoted`.
    public var note: String? {
        guard isNoted else { return nil }
        let fast = memcpyFastNs.map { " (memcpy \(Format.duration($0)))" } ?? ""
        return "n=\(n): the copy references ran more than \(Int((100 * (Self.slowdown - 1)).rounded()))% above their fast level\(fast) "
            + "in \(slowRounds) of \(rounds) rounds, up to \(Format.number(slowest, digits: 2))×, while the speed probe read "
            + "the fast level: the host slowed what the probe did not see (the caches and memory its other guests share, or a "
            + "stall too brief for the probe before each sample), "
            + "so the times at this size, most of all those of the cases that move data, are the mix of the levels this run met "
            + "and move from run to run with them; ratios to memcpy within rounds move far less (analysis.memory_levels; "
            + "docs/measuring.md, \"The memory level\")"
    }
}
