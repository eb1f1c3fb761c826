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
enum HeadlinePolicy {
    /// Time per byte against memcpy's at the same n from which a case counts as core-bound.
    static let computeBoundFactor = 2.0

    /// The headline of a case with these estimates; `memcpy` is the blocked estimate of memcpy at
    /// the same n (nil when it was not measured: then nothing counts as core-bound).
    static func estimator(
        for c: CaseResult, blocked: IntervalEstimate?, normalized: IntervalEstimate?, fastLevel: IntervalEstimate? = nil,
        memcpy: (estimate: IntervalEstimate, bytes: Int)?
    ) -> Estimator {
        guard let blocked else { return .median }
        let inNanoseconds: Estimator = fastLevel != nil ? .fastLevel : .blocked
        guard normalized != nil else { return inNanoseconds }
        switch c.kind {
        case .python:
            return c.bytesPerCall == 0 || c.level == CacheTopology.Level.l1.rawValue ? .normalized : inNanoseconds
        case .native, .batch: break
        default: return inNanoseconds
        }
        guard let memcpy, c.bytesPerCall > 0, memcpy.bytes > 0 else { return inNanoseconds }
        let perByte = blocked.value / Double(c.bytesPerCall)
        let memcpyPerByte = memcpy.estimate.value / Double(memcpy.bytes)
        return perByte >= computeBoundFactor * memcpyPerByte ? .normalized : inNanoseconds
    }
}
