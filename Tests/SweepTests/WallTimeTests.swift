import Measurement
import Testing
@testable import Sweep

@Suite struct WallTimeTests {
    /// A phase's parts are said after its time, summed where a part is added twice, in the order
    /// first added; a part of no time is not said, and a phase without parts is said alone.
    @Test func aPhasesPartsAreSaidAfterItsTime() {
        var wallTime = WallTime(clock: MonotonicClock())
        wallTime.measure("n=1000") {}
        wallTime.measure("python") {}
        wallTime.add(1.25, toPart: "setup", of: "n=1000")
        wallTime.add(2.0, toPart: "waits for the fast level", of: "n=1000")
        wallTime.add(0.5, toPart: "setup", of: "n=1000")
        wallTime.add(0, toPart: "setup", of: "python")

        let summary = wallTime.summary
        #expect(summary.hasPrefix("wall time "))
        #expect(summary.contains(" since the first size: n=1000 0.0 s (setup 1.8 s, waits for the fast level 2.0 s), python 0.0 s, other "))
    }
}
