import BenchModel
import Measurement

/// What a measuring process of one size holds in memory at its peak, so that a size the machine
/// cannot hold is refused before the run (more than its physical memory) or before each process
/// (more than the memory available then), instead of a process the kernel's out-of-memory killer
/// ends half-way.
///
/// Measured (2026-12-06, `/usr/bin/time -v jsa-bench sweep --sizes N --samples 1 --processes 1
/// --no-python`, the worker's peak resident set): 2.23 GB at n = 39321600 and 5.63 GB at
/// n = 100000000, 56.6 and 56.3 bytes per element, against the 56 of `peakBytes(n:caches:)` there
/// (seven arrays of n doubles; no batch at those sizes).
extension SweepConfiguration {
    /// What `peakBytes(n:caches:)` counts, for messages.
    static let peakContents =
        "five buffers of n doubles, the batch output, the scalar reference and a copy beside it, and the copies of --placements"
    /// The buffers of n doubles a size maps (`Workload`): input, second operand, output, aliased
    /// output, the `into_offset` cases' input.
    static let buffersPerSize = 5
    /// The arrays of n doubles a measuring process holds beside its buffers: the scalar reference
    /// and the input's copy it is computed from, or an allocating case's output.
    static let referenceArrays = 2
    /// Bytes a measuring process holds per element of its size where neither the batch nor more
    /// than one placement runs (large sizes): 56.
    public static let bytesPerElement = (buffersPerSize + referenceArrays) * MemoryLayout<Double>.stride

    /// Bytes of the buffers a size maps (`Workload`): input, second operand, output, aliased output
    /// and the `into_offset` cases' input, n doubles and a page each, and the batch output when the
    /// batch runs; nil when that does not fit in an `Int`.
    public func bufferBytes(n: Int) -> Int? {
        guard let single = Self.product(n, MemoryLayout<Double>.stride),
            let paged = Self.sum(single, pages.bytes),
            let buffers = Self.product(paged, Self.buffersPerSize)
        else { return nil }
        let batch = Self.product(single, batchPeriods.count).flatMap { bytes in
            bytes <= maximumBatchOutputBytes && batchPeriods.maximum <= n ? bytes : nil
        }
        return Self.sum(buffers, batch ?? 0)
    }

    /// The most bytes a measuring process of size `n` holds at once: its buffers, once per
    /// placement (`Workload.placements(asked:pages:bytes:)`); the scalar reference of n doubles and,
    /// beside it, the input's copy it is computed from or an allocating case's output; in cold
    /// mode, the buffer that evicts `caches`. Nil when that does not fit in an `Int`.
    ///
    /// A later process of a size, which takes the first one's verified cases, never computes the
    /// reference: it holds 16 bytes per element less. This counts the first's.
    public func peakBytes(n: Int, caches: CacheTopology) -> Int? {
        guard let buffers = bufferBytes(n: n),
            let placed = Self.product(buffers, Workload.placements(asked: placements, pages: pages, bytes: buffers)),
            let reference = Self.product(n, Self.referenceArrays * MemoryLayout<Double>.stride)
        else { return nil }
        return Self.sum(Self.sum(placed, reference), cold ? CacheEvictor.bytes(toEvict: caches) : 0)
    }

    private static func product(_ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    private static func sum(_ a: Int?, _ b: Int) -> Int? {
        guard let a else { return nil }
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : value
    }
}
