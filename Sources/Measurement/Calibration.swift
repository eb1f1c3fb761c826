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
    /// only grows it.
    ///
    /// - Parameter shouldStop: polled before each timed batch (Ctrl-C): when true, the count so far is
    ///   returned at once.
    public func iterations(
        clock: some NanosecondClock, maximumIterations: Int = 1 << 30, shouldStop: () -> Bool = { false }, _ body: () -> Void
    ) -> Int {
        let cold = grow(from: 1, clock: clock, maximumIterations: maximumIterations, shouldStop: shouldStop, body)
        return grow(from: cold, clock: clock, maximumIterations: maximumIterations, shouldStop: shouldStop, body)
    }

    private func grow(
        from start: Int, clock: some NanosecondClock, maximumIterations: Int, shouldStop: () -> Bool, _ body: () -> Void
    ) -> Int {
        var iterations = start
        while !shouldStop() {
            let start = clock.now()
            for _ in 0..<iterations {
                body()
            }
            let elapsed = Double(clock.now() - start)
            if elapsed >= targetSampleNs || iterations >= maximumIterations {
                return iterations
            }
            let factor = elapsed > 0 ? min(10, max(1.4 * targetSampleNs / elapsed, 1.1)) : 10
            iterations = min(maximumIterations, max(iterations + 1, Int((Double(iterations) * factor).rounded(.up))))
        }
        return iterations
    }
}
