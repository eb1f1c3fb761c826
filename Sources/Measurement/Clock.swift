import BenchModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Statistics

/// A source of monotonic time in nanoseconds. The engine reads it only at sample boundaries.
public protocol NanosecondClock {
    /// Nanoseconds since an arbitrary fixed origin; never decreases.
    func now() -> UInt64
}

/// `clock_gettime(CLOCK_MONOTONIC)`: a vDSO call on Linux (no system call), immune to wall-clock
/// adjustments.
public struct MonotonicClock: NanosecondClock, Sendable {
    public init() {}

    @inline(__always)
    public func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// The resolution the OS claims (`clock_getres`), in ns.
    public var declaredResolutionNs: Double {
        var spec = timespec()
        clock_getres(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) * 1e9 + Double(spec.tv_nsec)
    }
}

extension ClockProfile {
    /// Measures `clock`: the resolution as the smallest positive step seen over `reads` back-to-back
    /// reads, and the read overhead as the median over `batches` of the time of 1001 reads / 1001.
    public static func measure(_ clock: some NanosecondClock, reads: Int = 100_000, batches: Int = 51) -> ClockProfile {
        var smallestStep = UInt64.max
        var previous = clock.now()
        for _ in 0..<reads {
            let current = clock.now()
            if current > previous {
                smallestStep = min(smallestStep, current - previous)
            }
            previous = current
        }
        var perRead: [Double] = []
        perRead.reserveCapacity(batches)
        for _ in 0..<batches {
            let start = clock.now()
            var sink: UInt64 = 0
            for _ in 0..<1000 {
                sink &+= clock.now()
            }
            let end = clock.now()
            blackHole(sink)
            perRead.append(Double(end - start) / 1001)  // 1000 reads in the loop, plus the closing one
        }
        let declared = (clock as? MonotonicClock)?.declaredResolutionNs
        return ClockProfile(
            resolutionNs: smallestStep == .max ? .nan : Double(smallestStep),
            readOverheadNs: Statistics.median(perRead),
            declaredResolutionNs: declared)
    }
}
