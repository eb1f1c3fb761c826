/// Waiting for the host's fast level before a sample.
///
/// The hosts this project runs on switch between a fast level and a slower one 1.6–2× slower
/// (other work on the core), in stretches of tens to hundreds of milliseconds. A sample taken in a
/// slow stretch measures the neighbour as much as the code, and the estimates that compare across
/// runs use the samples taken at the fast level (`fast_level`). With a wait, the sampler times
/// the speed probe before a sample and, when it reads slower than `tolerance` × the lowest probe
/// this process has seen (or was told of), times it again and again until it has read fast for
/// `confirmationNs` on end, the sample's longest wait has passed, or the waits have used their
/// budget: `budgetRatio` × the time spent sampling so far (plus `allowanceNs`), so a run lasts at
/// most about 1 + `budgetRatio` times as long, however long the host stays slow. After the
/// sample it times the probe once more, and the sample's probe is the slower of the two. A
/// process told no floor (the run's first) spends its first wait finding one, since a process
/// that starts in a slow stretch would otherwise take the slower level for the fast one.
///
/// Why the confirmation and the second probe: inside a slow stretch the level flickers at the
/// scale of microseconds (the probe timed back to back on the AMD EPYC Zen 4 guest, 2026-12-04:
/// fast runs of a median 3.6 µs amid slow ones of 7.4 µs), so the first fast probe after a slow
/// one is as often a blip as the end of the stretch. Waiting for that first fast probe only
/// chose a fast probe, not a fast sample: in 12 sweeps with `--wait-for-fast-level 8` whole
/// processes ran every case at the slower level's times (scalar 1.6×, memcpy 1.24×) with every
/// probe before them reading fast, which the fast-level estimates then took for fast samples.
///
/// What can go wrong still: the host can switch during a sample, or slow the case and not the
/// probe, so the analysis still sorts samples by their probes; and where the host stays at its
/// slower level longer than the budget, the samples are taken there anyway. Samples that count
/// hardware events neither wait nor probe after their calls (the counters would count the probe).
public struct FastLevelWait: Hashable, Sendable, Codable {
    /// The waits' budget as a multiple of the time spent sampling (warm calls included), > 0.
    public var budgetRatio: Double

    /// A probe reads fast within this factor of the lowest probe seen. On the AMD EPYC guest
    /// (2026-12-04) probes at the fast level spread 1452–1612 ns (1.10×), the slower level started
    /// at 2.0 µs (1.37×).
    public static let tolerance = 1.2
    /// The longest one sample waits, ns: the slower level's stretches lasted a median 100 ms and at
    /// most 1.1 s on that guest (`scripts/host-speed 30`, 20 ms steps).
    public static let maximumWaitNs = 200e6
    /// The budget a process starts with, before it has sampled anything, ns (times `budgetRatio`).
    public static let allowanceNs = 25e6
    /// How long the probe must read fast on end, ns, before a sample that waited is taken:
    /// longer than most blips of the fast level inside a slow stretch (90% under 155 µs on that
    /// guest), far shorter than its fast stretches (20–64 ms, 10th–90th percentile, at 20 ms steps).
    public static let confirmationNs = 200e3

    public init(budgetRatio: Double) {
        self.budgetRatio = budgetRatio
    }

    enum CodingKeys: String, CodingKey {
        case budgetRatio = "budget_ratio"
    }
}

/// One process's waits for the fast level: the lowest probe seen, and the budget left.
public final class FastLevelWaiter {
    public let policy: FastLevelWait
    /// The lowest probe seen, ns (nil before the first).
    public private(set) var floorNs: Double?
    /// Everything waited so far, ns.
    public private(set) var waitedNs: Double = 0
    /// Everything sampled so far, ns (the samples' calls and their warm calls).
    public private(set) var sampledNs: Double = 0

    /// A waiter for `policy`, starting from `floorNs` where earlier processes of the run saw one.
    public init(policy: FastLevelWait, floorNs: Double? = nil) {
        self.policy = policy
        self.floorNs = floorNs
    }

    /// Whether `probeNs` reads at the fast level (within the tolerance of the floor).
    public func isFast(_ probeNs: Double) -> Bool {
        guard let floorNs else { return true }
        return probeNs <= floorNs * FastLevelWait.tolerance
    }

    /// The ns this process may still wait.
    public var budgetLeftNs: Double {
        max(0, policy.budgetRatio * (sampledNs + FastLevelWait.allowanceNs) - waitedNs)
    }

    /// Waits for the fast level: `firstProbeNs` is the probe already timed; `probe` times another
    /// (ns); `now` reads the clock (ns). A fast first probe is taken at once; after a slow one the
    /// probe must read fast for `confirmationNs` on end. Without a floor, the whole wait (the
    /// budget left, at most `maximumWaitNs`) goes to finding one. Returns the last probe and the
    /// time waited, ns.
    public func wait(firstProbeNs: Double, now: () -> UInt64, probe: () -> Double) -> (probeNs: Double, waitedNs: Double) {
        var probeNs = firstProbeNs
        let discovering = floorNs == nil
        lower(probeNs)
        guard discovering || !isFast(probeNs) else { return (probeNs, 0) }
        let limit = min(FastLevelWait.maximumWaitNs, budgetLeftNs)
        let start = now()
        var waited = 0.0
        var fastSince: Double?  // when the current run of fast probes began, ns into the wait
        while waited < limit {
            if discovering || !isFast(probeNs) {
                fastSince = nil
            } else if let since = fastSince, waited - since >= FastLevelWait.confirmationNs {
                break
            } else if fastSince == nil {
                fastSince = waited
            }
            probeNs = probe()
            lower(probeNs)
            waited = Double(now() - start)
        }
        waitedNs += waited
        return (probeNs, waited)
    }

    /// The probe timed after a sample, ns: it may lower the floor.
    public func observe(_ probeNs: Double) {
        lower(probeNs)
    }

    /// Books `ns` of sampling, which the budget grows with.
    public func sampled(_ ns: Double) {
        sampledNs += ns
    }

    private func lower(_ probeNs: Double) {
        floorNs = min(floorNs ?? probeNs, probeNs)
    }
}
