import BenchModel

/// Which estimator heads each case's figures.
///
/// The normalized estimate cancels how fast the host let the core run, as far as the case slows
/// down with the speed probe — an L1-resident scalar stencil, limited by the core. Measured over
/// 8 runs of sizes 1000, 10000, 100000 × scalar, avx2 (2026-12-02, `jsa-bench reproduce --runs 8`,
/// 4 processes): the run-to-run CV of the normalized estimate was lower than the blocked one's for
/// every native case at L1 (5.5–6.0% against 6.0–7.6%) and for scalar cases at every size
/// (3.6–5.0% against 6.0–7.2% at n = 100000), while cases that run at the copy roofline (AVX2 at
/// L2, memcpy, STREAM add) gained nothing or lost. So the normalized estimate heads a case that is
/// limited by the core — one that takes at least `computeBoundFactor` × memcpy's time per byte
/// moved in the same run — and the blocked estimate (ns) heads the rest, and every case whose
/// rounds have no speed reading.
///
/// Python rungs have no memcpy beside them in their helper, and what several of them move (NumPy's
/// temporaries, the copy-out binding's buffer) is more than the bytes they are credited with. A
/// rung counts as core-bound when it touches no data (the empty loop, the no-op call, buffer
/// acquisition, `numpy.empty`) or its data sits in L1. Measured (Intel Xeon KVM guest, 2026-12-03,
/// two sets of 8 runs of `jsa-bench python --sizes 1000,10000,100000 --samples 20 --processes 4`,
/// `reproduce --existing`): for those rungs the normalized estimate's run-to-run CV was lower in
/// 35 of 36 (rung, n, set), 2.5–10.0% against the blocked one's 5.3–19.2%; for rungs whose data
/// is beyond L1 (n = 10⁴, 10⁵, and `jsa_batch`'s rows) it was higher in all 30, 7.1–19.4% against
/// 2.5–8.2%, as for native cases at the copy roofline.
///
/// Some machine classes slow every case with the probe (`probeTracksEveryCase`): there the
/// normalized estimate heads every native, batch and reference case.
public enum HeadlinePolicy {
    /// Time per byte against memcpy's at the same n from which a case counts as core-bound.
    static let computeBoundFactor = 2.0

    /// CPU classes (`Environment.cpuIdentity`) on which every case's time follows the speed probe,
    /// memory-bound ones too, with the class's name for the report.
    ///
    /// AMD EPYC guests of QEMU's "EPYC" model (family 0x17 model 0x01, 2 vCPUs): the host's slower
    /// level takes a share of the vCPU, not a clock step, and slows copies at L2, L3 and beyond as
    /// much as the probe. Re-analysed with `jsa-bench reproduce --existing` (2026-12-04, 30 sets of
    /// 8–24 runs: the goal's `sweep --sizes 1000,10000,100000 --kernels scalar,avx2` with several
    /// samplings, the quick preset, and `--sizes 10000,100000,1048576 --kernels avx2`), over the
    /// cases `fast_level` headed until then (median over them): in the three sets with runs at the
    /// host's other level, the normalized estimate's run-to-run CV was 0.65–1.23% against
    /// 7.40–8.42% and its coverage 73.6–82.1% against 50.0–70.6%; in the other 27 its CV was
    /// 0.17–0.60% against 0.14–0.51% and its coverage 73.2–94.6% against 66.3–91.1%, higher in 25.
    /// The host has another slow level, twice the fast one in probe time, at which cases slow
    /// less (1.4–1.9×; 2026-12-04 13:42): there the normalized CV was 7.5% against the blocked
    /// estimate's 17.7% and `fast_level`'s 20.2%, coverage 66.1% against 67.0% and 64.3%, so the
    /// rule stays; the gate does not compare two runs' estimates across such levels
    /// (`HostSpeed.probeNs`).
    static let probeTracksEveryCase = ["AuthenticAMD family 0x17 model 0x1": "AMD EPYC (QEMU's EPYC model)"]

    /// The headline of a case with these estimates; `memcpy` is the blocked estimate of memcpy at
    /// the same n (nil when it was not measured: then nothing counts as core-bound, except on a
    /// class in `probeTracksEveryCase`, given as `cpuIdentity`).
    static func estimator(
        for c: CaseResult, blocked: IntervalEstimate?, normalized: IntervalEstimate?, fastLevel: IntervalEstimate? = nil,
        memcpy: (estimate: IntervalEstimate, bytes: Int)?, cpuIdentity: String? = nil
    ) -> Estimator {
        guard let blocked else { return .median }
        let inNanoseconds: Estimator = fastLevel != nil ? .fastLevel : .blocked
        guard normalized != nil else { return inNanoseconds }
        switch c.kind {
        case .python:
            return c.bytesPerCall == 0 || c.level == CacheTopology.Level.l1.rawValue ? .normalized : inNanoseconds
        case .reference: return tracksEveryCase(cpuIdentity) ? .normalized : inNanoseconds
        case .native, .batch: if tracksEveryCase(cpuIdentity) { return .normalized }
        default: return inNanoseconds
        }
        guard let memcpy, c.bytesPerCall > 0, memcpy.bytes > 0 else { return inNanoseconds }
        let perByte = blocked.value / Double(c.bytesPerCall)
        let memcpyPerByte = memcpy.estimate.value / Double(memcpy.bytes)
        return perByte >= computeBoundFactor * memcpyPerByte ? .normalized : inNanoseconds
    }

    /// Whether `cpuIdentity` names a class on which the probe tracks every case.
    static func tracksEveryCase(_ cpuIdentity: String?) -> Bool {
        classTrackingEveryCase(cpuIdentity) != nil
    }

    /// The name of the class `cpuIdentity` belongs to where the probe tracks every case, else nil.
    public static func classTrackingEveryCase(_ cpuIdentity: String?) -> String? {
        cpuIdentity.flatMap { probeTracksEveryCase[$0] }
    }
}
