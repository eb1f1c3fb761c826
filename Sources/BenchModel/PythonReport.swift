/// The Python binding's overhead, per size, derived from the `python` cases and the native
/// direct-write case of the same run. Times are medians, ns per call.
public struct PythonReport: Codable, Sendable {
    /// Versions and path of the embedded interpreter (Debian's python3 and NumPy).
    public var python: String?
    public var numpy: String?
    public var executable: String?
    /// Why there are no Python numbers (no libpython, no NumPy, ...), nil when there are.
    public var unavailableReason: String?
    public var sizes: [PythonSizeSummary]
    /// The smallest measured n from which a call of `jsa(x, p, out=o)` costs less than 5% of it
    /// over native (and every larger measured n too; `ResultsDocument.pythonCallOverheadOut`, the
    /// within-round estimate); nil when the largest measured size does not get there.
    public var overheadUnder5PercentFrom: Int?
    /// The same from the overhead's 95% interval: the smallest measured n from which the interval's
    /// upper end, at that size and every larger one, is under 5% of the call; nil where the largest
    /// size's interval reaches 5%, or where a size has no interval (a run without rounds).
    public var overheadIntervalUnder5PercentFrom: Int?

    public init(
        python: String?, numpy: String?, executable: String?, unavailableReason: String?,
        sizes: [PythonSizeSummary] = [], overheadUnder5PercentFrom: Int? = nil, overheadIntervalUnder5PercentFrom: Int? = nil
    ) {
        self.python = python
        self.numpy = numpy
        self.executable = executable
        self.unavailableReason = unavailableReason
        self.sizes = sizes
        self.overheadUnder5PercentFrom = overheadUnder5PercentFrom
        self.overheadIntervalUnder5PercentFrom = overheadIntervalUnder5PercentFrom
    }

    enum CodingKeys: String, CodingKey {
        case python, numpy, executable
        case unavailableReason = "unavailable_reason"
        case sizes
        case overheadUnder5PercentFrom = "overhead_under_5_percent_from"
        case overheadIntervalUnder5PercentFrom = "overhead_interval_under_5_percent_from"
    }
}

/// The ladder at one size, as differences of medians.
public struct PythonSizeSummary: Codable, Sendable, Hashable {
    public var n: Int
    /// The native direct-write call the binding wraps: the `auto` kernel called from C in the
    /// interpreter's process, interleaved with the rungs (`python/native_out`).
    public var nativeIntoNs: Double
    /// `jsa(x, p, out=o)` and `jsa(x, p)` minus native, per iteration of the rungs' Python `for`
    /// loop — so including the loop's own iteration (`emptyLoopNs`); the call's own cost is
    /// `callOverheadOutNs` / `callOverheadAllocNs`.
    public var overheadOutNs: Double
    public var overheadAllocNs: Double
    /// `overheadOutNs` as a fraction of `jsa(x, p, out=o)`'s time per loop iteration.
    public var overheadOutFraction: Double
    /// The rungs: call + argument parsing (noop − empty loop), buffer acquisition and validation
    /// (acquire(out=o) − noop), output allocation (numpy.empty(n) − empty loop), and the empty loop.
    public var callAndParsingNs: Double
    public var bufferAcquisitionNs: Double
    public var outputAllocationNs: Double
    public var emptyLoopNs: Double
    /// Minor page faults per call of `jsa(x, p)` (first touch of a fresh output).
    public var pageFaultsPerCall: Double
    /// NumPy baseline (into o) / `jsa(x, p, out=o)`, and naive NumPy / `jsa(x, p)`.
    public var speedupOverNumpy: Double
    public var speedupOverNaiveNumpy: Double
    /// The reference summary's "initial versus optimized", %: how much less `jsa` costs than
    /// `jsa_copy`, and how much less `jsa(out=o)` costs than `jsa`.
    public var copyToDirectSavingPercent: Double
    public var allocToOutSavingPercent: Double

    /// What a call of `jsa(x, p, out=o)` costs over native, ns: `overheadOutNs` without the
    /// Python loop's own iteration, which the native rung's C loop does not carry and which is the
    /// caller's loop, not the call (nanobench subtracts its loop the same way).
    public var callOverheadOutNs: Double { overheadOutNs - emptyLoopNs }
    /// What a call of `jsa(x, p)` costs over native, ns, without the loop's iteration.
    public var callOverheadAllocNs: Double { overheadAllocNs - emptyLoopNs }
    /// `callOverheadOutNs` as a fraction of the call (native + `callOverheadOutNs`).
    public var callOverheadOutFraction: Double { callOverheadOutNs / (nativeIntoNs + callOverheadOutNs) }

    public init(
        n: Int, nativeIntoNs: Double, overheadOutNs: Double, overheadAllocNs: Double, overheadOutFraction: Double,
        callAndParsingNs: Double, bufferAcquisitionNs: Double, outputAllocationNs: Double, emptyLoopNs: Double,
        pageFaultsPerCall: Double, speedupOverNumpy: Double, speedupOverNaiveNumpy: Double,
        copyToDirectSavingPercent: Double, allocToOutSavingPercent: Double
    ) {
        self.n = n
        self.nativeIntoNs = nativeIntoNs
        self.overheadOutNs = overheadOutNs
        self.overheadAllocNs = overheadAllocNs
        self.overheadOutFraction = overheadOutFraction
        self.callAndParsingNs = callAndParsingNs
        self.bufferAcquisitionNs = bufferAcquisitionNs
        self.outputAllocationNs = outputAllocationNs
        self.emptyLoopNs = emptyLoopNs
        self.pageFaultsPerCall = pageFaultsPerCall
        self.speedupOverNumpy = speedupOverNumpy
        self.speedupOverNaiveNumpy = speedupOverNaiveNumpy
        self.copyToDirectSavingPercent = copyToDirectSavingPercent
        self.allocToOutSavingPercent = allocToOutSavingPercent
    }

    enum CodingKeys: String, CodingKey {
        case n
        case nativeIntoNs = "native_into_ns"
        case overheadOutNs = "overhead_out_ns"
        case overheadAllocNs = "overhead_alloc_ns"
        case overheadOutFraction = "overhead_out_fraction"
        case callAndParsingNs = "call_and_parsing_ns"
        case bufferAcquisitionNs = "buffer_acquisition_ns"
        case outputAllocationNs = "output_allocation_ns"
        case emptyLoopNs = "empty_loop_ns"
        case pageFaultsPerCall = "page_faults_per_call"
        case speedupOverNumpy = "speedup_over_numpy"
        case speedupOverNaiveNumpy = "speedup_over_naive_numpy"
        case copyToDirectSavingPercent = "copy_to_direct_saving_percent"
        case allocToOutSavingPercent = "alloc_to_out_saving_percent"
    }
}

extension PythonReport {
    /// The smallest size from which every measured size's call overhead is under 5% of the call,
    /// from each size's overhead as a fraction of its call (`n`, 0...1); nil where the largest
    /// size's is not.
    public static func overheadUnder5PercentFrom(_ shares: [(n: Int, fraction: Double)]) -> Int? {
        let sorted = shares.sorted { $0.n < $1.n }
        guard let last = sorted.last, last.fraction < 0.05 else { return nil }
        var from = last.n
        for share in sorted.reversed() {
            guard share.fraction < 0.05 else { break }
            from = share.n
        }
        return from
    }
}

extension ResultsDocument {
    /// What a call of `jsa(x, p, out=o)` costs over the native call at `size`, ns: the analysis's
    /// within-round estimate (`DifferenceEstimate.Kind.pythonCallOverheadOut`, with its interval)
    /// where it has one, else the difference of the rungs' medians (`callOverheadOutNs`) — one
    /// figure for the report's table, its threshold and its conclusions.
    public func pythonCallOverheadOut(_ size: PythonSizeSummary) -> (ns: Double, share: Double, estimate: IntervalEstimate?) {
        let jsaOut = cases.first { $0.n == size.n && $0.kind == .python(.jsaOut) }
        let estimate = jsaOut.flatMap { analysis?.difference(.pythonCallOverheadOut, of: $0.id)?.estimate }
        let ns = estimate?.value ?? size.callOverheadOutNs
        return (ns, ns / (size.nativeIntoNs + ns), estimate)
    }

    /// The smallest size from which the Python call's overhead (`pythonCallOverheadOut`) is under
    /// 5% of the call at every measured size; nil where it is not at the largest.
    public var pythonOverheadUnder5PercentFrom: Int? {
        guard let python else { return nil }
        return PythonReport.overheadUnder5PercentFrom(python.sizes.map { ($0.n, pythonCallOverheadOut($0).share) })
    }

    /// Where the overhead's 95% interval lies under 5% of the call: the upper end of each size's
    /// interval as a share of its call, as `pythonOverheadUnder5PercentFrom` takes the estimates.
    public var pythonOverheadIntervalUnder5Percent: IntervalThreshold {
        guard let python, !python.sizes.isEmpty else { return .noIntervals }
        var highs: [(n: Int, fraction: Double)] = []
        for size in python.sizes {
            guard let high = pythonCallOverheadOut(size).estimate?.ci95High else { return .noIntervals }
            // An overhead at or below 0 is no share of the call.
            highs.append((size.n, max(0, high) / (size.nativeIntoNs + max(0, high))))
        }
        return PythonReport.overheadUnder5PercentFrom(highs).map(IntervalThreshold.from) ?? .notReached
    }
}

/// From which size a quantity's 95% interval lies below a threshold at that size and every larger one.
public enum IntervalThreshold: Equatable, Sendable {
    /// From this size on.
    case from(Int)
    /// The largest size's interval still reaches the threshold.
    case notReached
    /// Some size has no interval (a run without rounds): nothing to say.
    case noIntervals

    /// The size, where there is one.
    public var size: Int? {
        if case .from(let n) = self { return n }
        return nil
    }
}
