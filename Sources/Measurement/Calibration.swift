import BenchModel

/// How many calls of a body make one sample: enough that a sample is long against the clock.
public struct Calibration: Hashable, Sendable {
    /// The shortest sample, in ns: the larger of the requested minimum and 1000 × resolution.
    public let targetSampleNs: Double

    /// - Parameters:
    ///   - minimumSampleNs: the requested minimum sample duration (default 1 ms).
    ///   - clock: the measured clock; samples are at least 1000 × its resolution.
    public init(minimumSampleNs: Double = 1_000_000, clock: ClockProfile) {
        let resolution = clock.resolutionNs.isFinite ? clock.resolutionNs : 0
        targetSampleNs = max(minimumSampleNs, 1000 * resolution)
    }

    /// The iteration count for `body`, found as google/benchmark does: time 1 call, then grow the
    /// count by the predicted factor (×1.4 margin, at most ×10 per step) until one timed batch
    /// lasts at least `targetSampleNs`. Timing calls warm the body up as a side effect.
    ///
    /// - Parameter maximumIterations: a cap, for bodies too fast for any clock.
    ///
    /// Calibration runs twice: the first pass meets cold caches, page faults and lazy binding, so
    /// its count can be too small for the warm body; the second starts from the first's count and
    /// only grows it. For a body that was `calledBefore` (its page faults and lazy binding taken),
    /// the second is skipped when a single call already lasts `singleCallMargin` × the target.
    ///
    /// - Parameter shouldStop: polled before each timed batch (Ctrl-C): when true, the count so far is
    ///   returned at once.
    public func iterations(
        clock: some NanosecondClock, maximumIterations: Int = 1 << 30, calledBefore: Bool = false,
        shouldStop: () -> Bool = { false }, _ body: () -> Void
    ) -> Int {
        let (cold, coldNs) = grow(from: 1, clock: clock, maximumIterations: maximumIterations, shouldStop: shouldStop, body)
        if calledBefore && cold == 1 && coldNs >= Self.singleCallMargin * targetSampleNs {
            return 1  // one call is long enough with room to spare: warm, it stays one call
        }
        return grow(from: cold, clock: clock, maximumIterations: maximumIterations, shouldStop: shouldStop, body).iterations
    }

    /// How many times the target one call of a body called before must last for the second pass
    /// to be skipped: its next calls are faster (warm caches) but not by this factor, so one call
    /// stays at least the target. A truly cold first call can be thousands of times slower than
    /// the warm body, hence the `calledBefore` condition.
    static let singleCallMargin = 4.0

    private func grow(
        from start: Int, clock: some NanosecondClock, maximumIterations: Int, shouldStop: () -> Bool, _ body: () -> Void
    ) -> (iterations: Int, lastNs: Double) {
        var iterations = start
        var elapsed = 0.0
        while !shouldStop() {
            let start = clock.now()
            for _ in 0..<iterations {
                body()
            }
            elapsed = Double(clock.now() - start)
            if elapsed >= targetSampleNs || iterations >= maximumIterations {
                return (iterations, elapsed)
            }
            let factor = elapsed > 0 ? min(10, max(1.4 * targetSampleNs / elapsed, 1.1)) : 10
            iterations = min(maximumIterations, max(iterations + 1, Int((Double(iterations) * factor).rounded(.up))))
        }
        return (iterations, elapsed)
    }
}
