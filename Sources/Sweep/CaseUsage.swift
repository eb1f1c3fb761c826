import BenchModel
import Measurement

/// What the measuring processes of a size reported one case's samples used, summed over the
/// processes that answered: per-call figures divide by the calls of those processes alone (a
/// process that died before its report kept its samples but took its usage with it).
struct CaseUsage {
    /// getrusage totals, and the calls they cover.
    var usage = ResourceUsage()
    var calls = 0
    /// Hardware counter readings (nil until a process counted the case), and the calls they cover.
    var counters: CounterAccumulator?
    var countedCalls = 0

    /// Adds what one process reported for case `index`.
    mutating func add(_ reported: MeasuringUsage, case index: Int) {
        usage = usage + reported.usage[index]
        calls += reported.calls[index]
        guard let readings = reported.counters?[index] else { return }
        if counters == nil { counters = readings } else { counters!.add(readings) }
        countedCalls += reported.calls[index]
    }
}
