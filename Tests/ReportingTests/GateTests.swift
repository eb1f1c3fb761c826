@testable import Analysis
import BenchModel
import Foundation
import Measurement
import Statistics
import Testing
@testable import Reporting

@Suite struct GateVerdictTests {
    /// A document with one timed case whose samples are `samples`.
    func document(_ samples: [Double], instructions: Double? = nil, build: String = "release") -> ResultsDocument {
        var document = Fixture.complete()
        document.run.buildConfiguration = build
        var c = Fixture.timed("native", "into", "avx2", n: 1000, median: Statistics.median(samples))
        c.samplesNs = samples
        c.instructions = instructions.map {
            InstructionCount(
                calls: 3, perCall: $0, perElement: $0 / 1000, resolvedKernel: "avx2",
                unavailableReason: nil)
        }
        document.cases = [c]
        Analysis.analyze(&document)
        return document
    }

    func quiet(_ center: Double, seed: Int) -> [Double] {
        (0..<25).map { (i: Int) -> Double in
            let step = Double((i * 7 + seed) % 5 - 2)
            return center * (1 + 0.004 * step)
        }
    }

    func verdict(_ base: [Double], _ head: [Double]) -> (CaseVerdict.Verdict, Gate.Outcome) {
        let comparison = RunComparison.compare(base: document(base), head: document(head), metric: .time, thresholds: Thresholds())
        return (comparison.cases[0].verdict, Gate.outcome(of: comparison))
    }

    /// `document(samples)` with the speed probe before every sample taking `probeNs`.
    func probed(_ samples: [Double], probeNs: Double) -> ResultsDocument {
        var document = document(samples)
        document.cases[0].probesNs = Array(repeating: probeNs, count: samples.count)
        Analysis.analyze(&document)
        return document
    }

    /// A head run whose host sat at its slow level throughout (probe 1.9× the base run's) is not
    /// judged on its time, however much slower, nor one whose fast level drifted by 12% (beyond 1 +
    /// the 5% threshold); at the same probe time, the same slowdown is a regression, and so is 10%
    /// beside a drift of 4%.
    @Test func aHostThatRanAtAnotherSpeedIsNotJudged() {
        let base = probed(quiet(100, seed: 1), probeNs: 2000)
        let slowHost = RunComparison.compare(
            base: base, head: probed(quiet(190, seed: 3), probeNs: 3800), metric: .time, thresholds: Thresholds())
        #expect(slowHost.cases[0].verdict == .inconclusive)
        #expect(slowHost.cases[0].reason.hasPrefix("the host ran at another speed: the speed probe"), "\(slowHost.cases[0].reason)")
        #expect(slowHost.cases[0].reason.hasSuffix("rerun, or gate with --baseline-exec (both builds in the same rounds)"))
        #expect(slowHost.cases[0].reason.contains("(1.90×, beyond 1 + the threshold, 1.05×)"), "\(slowHost.cases[0].reason)")
        #expect(Gate.outcome(of: slowHost) == .inconclusive)
        let sameHost = RunComparison.compare(
            base: base, head: probed(quiet(190, seed: 3), probeNs: 2000), metric: .time, thresholds: Thresholds())
        #expect(sameHost.cases[0].verdict == .slower)
        let drifted = RunComparison.compare(
            base: base, head: probed(quiet(110, seed: 3), probeNs: 2240), metric: .time, thresholds: Thresholds())
        #expect(drifted.cases[0].verdict == .inconclusive)
        let driftedLess = RunComparison.compare(
            base: base, head: probed(quiet(110, seed: 3), probeNs: 2080), metric: .time, thresholds: Thresholds())
        #expect(driftedLess.cases[0].verdict == .slower)
        let looser = RunComparison.compare(
            base: base, head: probed(quiet(120, seed: 3), probeNs: 2240), metric: .time,
            thresholds: Thresholds(defaults: [.time: 0.15]))
        #expect(looser.cases[0].verdict == .slower)  // 12% drift within 1 + a 15% threshold
        #expect(HostSpeed.shift(base: 2000, head: 2080, tolerance: 1.05) == nil)
        #expect(HostSpeed.shift(base: 2000, head: 3800, tolerance: 1.05) == 1.9)
    }

    /// Two runs with a broad fast level (the probe spread ±13% within it, as on the Intel Xeon guest
    /// of model 0xCF) whose head's fast level sits 10% higher: the case is judged — unchanged where
    /// it held, slower where it took 10% longer — as the move lies within twice the level's spread.
    /// The same 10% move of a tight level (±0.7%) is another speed, and so is a 1.9× move of the
    /// broad one: inconclusive.
    @Test func aBroadFastLevelMovingWithinItsSpreadIsNotAnotherSpeed() throws {
        func run(fastProbeNs: Double, spread: Double, caseNs: Double = 100, slowProbeNs: Double = 3300) -> ResultsDocument {
            var document = Fixture.complete()
            var c = Fixture.timed("native", "into", "avx2", n: 1000, median: caseNs)
            let pattern = [-1.5, -1.0, -0.5, 0, 0.5, 1.0, 1.5]
            func slow(_ r: Int) -> Bool { r % 5 == 4 }  // one sample in five at the slower level
            c.probesNs = (0..<40).map { r in slow(r) ? slowProbeNs : fastProbeNs * exp(spread * pattern[r % 7]) }
            c.samplesNs = (0..<40).map { r in (slow(r) ? 1.8 : 1) * caseNs * (1 + 0.004 * Double((r * 7) % 5 - 2)) }
            c.sampleRounds = Array(0..<40)
            c.sampleProcesses = (0..<40).map { $0 / 10 }
            document.cases = [c]
            Analysis.analyze(&document)
            return document
        }
        func compared(_ base: ResultsDocument, _ head: ResultsDocument) throws -> CaseVerdict {
            let verdict = try #require(RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds()).cases.first)
            #expect(verdict.measure == Estimator.fastLevel.rawValue, "\(verdict.measure ?? "")")
            return verdict
        }
        let broad = run(fastProbeNs: 1800, spread: 0.09)
        let held = try compared(broad, run(fastProbeNs: 1980, spread: 0.09))
        #expect(held.verdict == .unchanged, "\(held.reason)")
        let slower = try compared(broad, run(fastProbeNs: 1980, spread: 0.09, caseNs: 110))
        #expect(slower.verdict == .slower, "\(slower.reason)")
        let tight = try compared(run(fastProbeNs: 1800, spread: 0.005), run(fastProbeNs: 1980, spread: 0.005))
        #expect(tight.verdict == .inconclusive && tight.reason.hasPrefix("the host ran at another speed"), "\(tight.reason)")
        let farther = try compared(broad, run(fastProbeNs: 3420, spread: 0.09, slowProbeNs: 6600))
        #expect(farther.verdict == .inconclusive && farther.reason.hasPrefix("the host ran at another speed"), "\(farther.reason)")
        #expect(HostSpeed.shift(base: 1800, head: 1980, tolerance: 1.05, spreads: (0.13, 0.13)) == nil)
        #expect(HostSpeed.shift(base: 1800, head: 1980, tolerance: 1.05, spreads: (0.01, 0.01)) != nil)
    }

    /// A run that took a fifth of its samples at the host's fast level (the rest 1.8× slower) met it
    /// seldom, and the gate says so beside the table, with each run's share; two runs at the fast
    /// level for four samples in five, or at one level, are not said to.
    @Test func aRunThatMetTheFastLevelSeldomIsSaidToHave() throws {
        func run(slowInFive: Int) -> ResultsDocument {
            var document = Fixture.complete()
            var c = Fixture.timed("native", "into", "avx2", n: 1000, median: 100)
            func slow(_ r: Int) -> Bool { r % 5 < slowInFive }
            c.probesNs = (0..<40).map { r in (slow(r) ? 3300 : 1800) * (1 + 0.002 * Double(r % 3)) }
            c.samplesNs = (0..<40).map { r in (slow(r) ? 1.8 : 1) * 100 * (1 + 0.004 * Double((r * 7) % 5 - 2)) }
            c.sampleRounds = Array(0..<40)
            c.sampleProcesses = (0..<40).map { $0 / 10 }
            document.cases = [c]
            Analysis.analyze(&document)
            return document
        }
        let seldom = RunComparison.compare(base: run(slowInFive: 4), head: run(slowInFive: 1), metric: .time, thresholds: Thresholds())
        let shares = try #require(seldom.fastLevelShares)
        #expect(abs((shares.base ?? 0) - 0.2) < 0.01 && abs((shares.head ?? 0) - 0.8) < 0.01, "\(shares)")
        let said = try Gate.render(seldom, format: .text)
        #expect(said.contains("The host met its fast level seldom: the base run took 20% of its samples there, the head 80%."))
        let often = RunComparison.compare(base: run(slowInFive: 1), head: run(slowInFive: 1), metric: .time, thresholds: Thresholds())
        #expect(often.fastLevelShares?.eitherMetItSeldom == false)
        #expect(try !Gate.render(often, format: .text).contains("met its fast level seldom"))
        let oneLevel = RunComparison.compare(base: run(slowInFive: 0), head: run(slowInFive: 0), metric: .time, thresholds: Thresholds())
        #expect(oneLevel.fastLevelShares == nil)
    }

    /// The probe behind an estimate is read over the samples the estimate rests on: the fast
    /// level's for `fast_level` and `normalized` (both leave the slower samples out), every probed
    /// sample for `blocked`. A case with one sample in three at the fast level (1000 ns) and the
    /// rest at twice that: 1000 ns behind the first two, 2000 behind `blocked` — and behind every
    /// estimator in a run with one level (no cut).
    @Test func theProbeBehindAnEstimateIsReadOverTheSamplesItRestsOn() {
        var c = Fixture.timed("native", "into", "avx2", n: 1000, median: 100)
        c.samplesNs = Array(repeating: 100, count: 9)
        c.probesNs = [1000, 2000, 2000, 1000, 2000, 2000, 1000, 2000, 2000]
        let cut = log(1500.0)
        #expect(HostSpeed.probeNs(behind: c, estimator: .fastLevel, fastLevelCut: cut) == 1000)
        #expect(HostSpeed.probeNs(behind: c, estimator: .normalized, fastLevelCut: cut) == 1000)
        #expect(HostSpeed.probeNs(behind: c, estimator: .blocked, fastLevelCut: cut) == 2000)
        #expect(HostSpeed.probeNs(behind: c, estimator: .normalized, fastLevelCut: nil) == 2000)
    }

    /// On a class whose normalized estimate heads every case, two runs at the host's two levels
    /// are not judged either: the base's probe took 2× the head's while its case took 1.69× (the
    /// AMD EPYC guest's A/A pair of 2026-12-04 13:21), so the head's normalized estimate reads 18%
    /// higher with nothing changed. At one probe time the normalized estimates are judged.
    @Test func normalizedEstimatesOfRunsAtTwoLevelsAreNotJudged() throws {
        func run(_ center: Double, seed: Int, probeNs: Double) -> ResultsDocument {
            var document = probed(quiet(center, seed: seed), probeNs: probeNs)
            document.environment.cpuIdentity = "AuthenticAMD family 0x17 model 0x1"
            Analysis.analyze(&document)
            return document
        }
        let base = run(169, seed: 1, probeNs: 4500)
        let head = run(100, seed: 3, probeNs: 2250)
        #expect(try #require(head.cases[0].estimates).headline == .normalized)
        let twoLevels = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds())
        #expect(twoLevels.cases[0].measure == Estimator.normalized.rawValue)
        #expect(twoLevels.cases[0].ratio > 1.15)
        #expect(twoLevels.cases[0].verdict == .inconclusive)
        #expect(twoLevels.cases[0].reason.contains("(0.50×, beyond 1 + the threshold, 1.05×)"), "\(twoLevels.cases[0].reason)")
        let oneLevel = RunComparison.compare(
            base: run(100, seed: 1, probeNs: 2250), head: run(118, seed: 3, probeNs: 2250), metric: .time,
            thresholds: Thresholds())
        #expect(oneLevel.cases[0].verdict == .slower)
    }

    /// Two runs of `into avx2` and memcpy at n = 1000 and 10000, the cases' medians (ns) given per
    /// size as (into, memcpy).
    func intoAndMemcpy(_ medians: [Int: (into: Double, memcpy: Double)]) -> ResultsDocument {
        var document = Fixture.complete()
        document.cases = medians.keys.sorted().flatMap { n -> [CaseResult] in
            var kernel = Fixture.timed("native", "into", "avx2", n: n, median: medians[n]!.into)
            kernel.samplesNs = quiet(medians[n]!.into, seed: n)
            var copy = Fixture.timed("reference", "memcpy", nil, n: n, median: medians[n]!.memcpy)
            copy.samplesNs = quiet(medians[n]!.memcpy, seed: n + 1)
            return [kernel, copy]
        }
        Analysis.analyze(&document)
        return document
    }

    /// Where a reference moved beyond the threshold between the runs (memcpy 8% slower at n =
    /// 1000, as the host's memory did in an A/A pair of 2026-12-04), a case of that size 10% slower
    /// is not called a regression, nor is the reference; at the size whose memcpy held, the same
    /// slowdown is one. A reference that moved the other way, or by less than the threshold, leaves
    /// the verdict alone; the memcpy basis, whose ratios cancel the move, needs no such rule.
    @Test func aCaseIsNotCalledSlowerWhereAReferenceOfItsSizeMovedTheSameWay() throws {
        let base = intoAndMemcpy([1000: (100, 80), 10000: (1000, 800)])
        let comparison = RunComparison.compare(
            base: base, head: intoAndMemcpy([1000: (110, 86.4), 10000: (1100, 800)]), metric: .time, thresholds: Thresholds())
        let verdicts = Dictionary(uniqueKeysWithValues: comparison.cases.map { ($0.id, $0) })
        let moved = try #require(verdicts["native/into/avx2/n=1000/p=30"])
        #expect(moved.verdict == .inconclusive)
        #expect(moved.reason.hasPrefix("10.0% slower"), "\(moved.reason)")
        #expect(moved.reason.contains("but reference/memcpy/n=1000 moved 8.0% the same way (ratio 1.080)"), "\(moved.reason)")
        let reference = try #require(verdicts["reference/memcpy/n=1000"])
        #expect(reference.verdict == .inconclusive)
        #expect(reference.reason.hasPrefix("a reference, not the code under test, moved: 8.0% slower"), "\(reference.reason)")
        #expect(verdicts["native/into/avx2/n=10000/p=30"]?.verdict == .slower)
        #expect(verdicts["reference/memcpy/n=10000"]?.verdict == .unchanged)
        #expect(Gate.outcome(of: comparison) == .regression)

        for memcpy in [73.6, 82.4] {  // 8% faster; 3% slower
            let head = intoAndMemcpy([1000: (110, memcpy), 10000: (1000, 800)])
            let other = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds())
            #expect(other.cases.first { $0.id == "native/into/avx2/n=1000/p=30" }?.verdict == .slower, "memcpy \(memcpy)")
        }
        let head = intoAndMemcpy([1000: (121, 86.4), 10000: (1000, 800)])  // 12% slower than memcpy
        let id = "native/into/avx2/n=1000/p=30"
        let ratios = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds(), basis: .memcpy)
        #expect(ratios.cases.first { $0.id == id }?.verdict == .slower)
        let estimates = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds())
        #expect(estimates.cases.first { $0.id == id }?.verdict == .inconclusive)
    }

    /// The Python ladder's rungs that do not call the binding are references too: NumPy's own
    /// expression 10.7% slower (its temporaries fault in fresh pages every call; an A/A pair of
    /// default sweeps, 2026-12-04 22:43) is the machine moving, and `jsa(x, p, out=o)` at that size
    /// moving with it is not called slower; a rung that calls the binding is no reference.
    @Test func pythonRungsThatDoNotCallTheBindingAreReferences() throws {
        func ladder(jsaOut: Double, numpy: Double) -> ResultsDocument {
            var document = Fixture.complete()
            document.cases = [("jsa_out", jsaOut), ("numpy_baseline", numpy)].map { rung, median in
                var c = Fixture.timed("python", rung, nil, n: 1000, median: median)
                c.samplesNs = quiet(median, seed: rung.count)
                return c
            }
            Analysis.analyze(&document)
            return document
        }
        let comparison = RunComparison.compare(
            base: ladder(jsaOut: 100, numpy: 300), head: ladder(jsaOut: 110, numpy: 321), metric: .time, thresholds: Thresholds())
        let verdicts = Dictionary(uniqueKeysWithValues: comparison.cases.map { ($0.id, $0) })
        let numpy = try #require(verdicts["python/numpy_baseline/n=1000"])
        #expect(numpy.verdict == .inconclusive)
        #expect(numpy.reason.hasPrefix("a reference, not the code under test, moved: 7.0% slower"), "\(numpy.reason)")
        let binding = try #require(verdicts["python/jsa_out/n=1000"])
        #expect(binding.verdict == .inconclusive)
        #expect(binding.reason.contains("but python/numpy_baseline/n=1000 moved 7.0% the same way"), "\(binding.reason)")
        let steady = RunComparison.compare(
            base: ladder(jsaOut: 100, numpy: 300), head: ladder(jsaOut: 110, numpy: 300), metric: .time, thresholds: Thresholds())
        #expect(steady.cases.first { $0.id == "python/jsa_out/n=1000" }?.verdict == .slower)
    }

    /// Ratios to memcpy within rounds are not judged across the host's levels either: at its level
    /// of twice the probe time memcpy slowed 1.73× and `into avx2` 1.55× (AMD EPYC guest,
    /// 2026-12-04 13:42), so the fast run's fraction of memcpy reads 12% above the slow run's with
    /// nothing changed. At one probe time a 10% slower kernel is a regression on that basis.
    @Test func ratiosToMemcpyOfRunsAtTwoLevelsAreNotJudged() throws {
        func run(into: Double, memcpy: Double, probeNs: Double) -> ResultsDocument {
            var document = Fixture.complete()
            var kernel = Fixture.timed("native", "into", "avx2", n: 1000, median: into)
            kernel.samplesNs = quiet(into, seed: 1)
            var copy = Fixture.timed("reference", "memcpy", nil, n: 1000, median: memcpy)
            copy.samplesNs = quiet(memcpy, seed: 2)
            document.cases = [kernel, copy].map {
                var c = $0
                c.probesNs = Array(repeating: probeNs, count: c.samplesNs.count)
                return c
            }
            Analysis.analyze(&document)
            return document
        }
        let id = "native/into/avx2/n=1000/p=30"
        let slowLevel = run(into: 155, memcpy: 173, probeNs: 4500)
        #expect(slowLevel.analysis?.ratio(.fractionOfMemcpy, of: id) != nil)
        let twoLevels = RunComparison.compare(
            base: slowLevel, head: run(into: 100, memcpy: 100, probeNs: 2250), metric: .time, thresholds: Thresholds(),
            basis: .memcpy)
        let verdict = try #require(twoLevels.cases.first { $0.id == id })
        #expect(verdict.ratio > 1.1)
        #expect(verdict.verdict == .inconclusive)
        #expect(verdict.reason.contains("(0.50×, beyond 1 + the threshold, 1.05×)"), "\(verdict.reason)")
        let oneLevel = RunComparison.compare(
            base: run(into: 100, memcpy: 100, probeNs: 2250), head: run(into: 110, memcpy: 100, probeNs: 2250), metric: .time,
            thresholds: Thresholds(), basis: .memcpy)
        #expect(oneLevel.cases.first { $0.id == id }?.verdict == .slower)
    }

    /// Where both runs visited the host's fast level, the memcpy basis compares their ratios over
    /// the fast level's rounds: a run that spent most of its rounds at a broad slower level, where
    /// memcpy slows 1.73× and `into avx2` 1.55×, reads 10% faster over every round with nothing
    /// changed, and the same at the fast level; a kernel 10% slower there is a regression.
    @Test func theMemcpyBasisComparesRatiosAtTheFastLevelWhereBothRunsHaveThem() throws {
        /// 40 rounds over 4 processes, `slowRounds` of them spread evenly at the slower level (probe
        /// 3.2–5.9 µs), the rest at the fast one (2.25 µs).
        func run(into: Double, slowRounds: Int) -> ResultsDocument {
            var document = Fixture.complete()
            func slow(_ r: Int) -> Bool { r * slowRounds % 40 < slowRounds }
            func spread(_ r: Int) -> Double { 1 + 0.3 * Double((r * 7) % 9 - 4) / 4 }  // 0.7–1.3
            func probe(_ r: Int) -> Double {
                slow(r) ? 4500 * spread(r) : 2250 * (1 + 0.002 * Double(r % 3 - 1))
            }
            func samples(_ fast: Double, slowFactor: Double, seed: Int) -> [Double] {
                (0..<40).map { (r: Int) -> Double in
                    let level: Double = slow(r) ? fast * slowFactor : fast
                    return level * (1 + 0.004 * Double((r * 7 + seed) % 5 - 2))
                }
            }
            let probes = (0..<40).map(probe)
            var kernel = Fixture.timed("native", "into", "avx2", n: 1000, median: into)
            kernel.samplesNs = samples(into, slowFactor: 1.55, seed: 1)
            var copy = Fixture.timed("reference", "memcpy", nil, n: 1000, median: 100)
            copy.samplesNs = samples(100, slowFactor: 1.73, seed: 2)
            document.cases = [kernel, copy].map {
                var c = $0
                c.probesNs = probes
                c.sampleRounds = Array(0..<40)
                c.sampleProcesses = (0..<40).map { $0 / 10 }
                return c
            }
            Analysis.analyze(&document)
            return document
        }
        let id = "native/into/avx2/n=1000/p=30"
        let mostlyFast = run(into: 100, slowRounds: 8)
        let mostlySlow = run(into: 100, slowRounds: 30)
        let overEveryRound = try #require(mostlySlow.analysis?.ratio(.fractionOfMemcpy, of: id))
        #expect(overEveryRound.estimate.value < 0.92 && overEveryRound.fastLevelRounds == 10)
        let same = try #require(
            RunComparison.compare(base: mostlyFast, head: mostlySlow, metric: .time, thresholds: Thresholds(), basis: .memcpy)
                .cases.first { $0.id == id })
        #expect(same.verdict == .unchanged && same.measure == "fraction_of_memcpy@fast_level", "\(same.verdict): \(same.reason)")
        // The table shows those values as fractions of memcpy, as it does over every round.
        let table = try Gate.render(
            RunComparison.compare(base: mostlyFast, head: mostlySlow, metric: .time, thresholds: Thresholds(), basis: .memcpy),
            format: .text)
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix(id) })
        #expect(row.contains("× memcpy") && !row.contains(" ns "), "\(row)")
        let slower = try #require(
            RunComparison.compare(
                base: mostlyFast, head: run(into: 110, slowRounds: 30), metric: .time, thresholds: Thresholds(), basis: .memcpy
            ).cases.first { $0.id == id })
        #expect(slower.verdict == .slower, "\(slower.verdict): \(slower.reason)")
    }

    /// A 3% step against a 2% threshold with ±0.4% noise within each run is a regression; where
    /// whole runs move by 1% (SD, `run.run_level` of either run), the difference of two runs is
    /// not known to better than ±2.8%, so it is inconclusive, and the table says what it added.
    @Test func theRunLevelWidensTheDifferenceOfTwoRuns() throws {
        let thresholds = Thresholds(defaults: [.time: 0.02])
        let base = document(quiet(100, seed: 1))
        var head = document(quiet(103, seed: 3))
        let within = RunComparison.compare(base: base, head: head, metric: .time, thresholds: thresholds)
        #expect(within.cases[0].verdict == .slower && within.runLevelSE == nil)
        head.run.runLevel = RunLevelSpread(
            sd: 0.01, levels: Array(repeating: 0, count: 16), measuredAt: "2026-12-04T08:00:00Z",
            machine: MachineClass(head.environment), epochsPerSample: head.run.epochsPerSample)
        let acrossRuns = RunComparison.compare(base: base, head: head, metric: .time, thresholds: thresholds)
        #expect(acrossRuns.cases[0].verdict == .inconclusive, "\(acrossRuns.cases[0].reason)")
        #expect(abs(try #require(acrossRuns.runLevelSE) - 0.01 * 2.squareRoot()) < 1e-12)
        let statistics = acrossRuns.cases[0].statistics!
        #expect(log(statistics.ci95High / statistics.ratio) > 1.96 * 0.01 * 2.squareRoot())
        let text = try Gate.render([acrossRuns], format: .text)
        #expect(text.contains("whole runs add a standard error of 1.41% to every case's difference"))
        // Where the spread has the case's own (0.1%: this case held still from run to run while the
        // level over every case moved), its difference takes that, and the 3% step is called again.
        let id = acrossRuns.cases[0].id
        head.run.runLevel?.sdByCase = [id: 0.001]
        let ownSpread = RunComparison.compare(base: base, head: head, metric: .time, thresholds: thresholds)
        #expect(ownSpread.cases[0].verdict == .slower, "\(ownSpread.cases[0].reason)")
        let largest = try #require(ownSpread.largestCaseRunLevelSE)
        #expect(largest.id == id && abs(largest.se - 0.001 * 2.squareRoot()) < 1e-12)
        let ownText = try Gate.render([ownSpread], format: .text)
        #expect(ownText.contains("each case's difference its own spread over the runs of `reproduce` (largest 0.14%, \(id))"), "\(ownText)")
    }

    @Test func identicalSamplesPass() {
        let samples = quiet(100, seed: 1)
        #expect(verdict(samples, samples) == (.unchanged, .pass))
    }

    @Test func tenPercentSlowerWithSmallNoiseIsARegression() {
        #expect(verdict(quiet(100, seed: 1), quiet(110, seed: 3)) == (.slower, .regression))
    }

    @Test func noiseFarAboveTheThresholdIsInconclusive() {
        let noisy = (0..<25).map { (i: Int) -> Double in 100 * (1 + 0.25 * Double(i % 5 - 2)) }
        let comparison = RunComparison.compare(
            base: document(noisy), head: document(noisy.reversed().map { $0 * 1.06 }),
            metric: .time, thresholds: Thresholds())
        #expect(comparison.cases[0].verdict == .inconclusive)
        #expect(comparison.cases[0].reason.contains("exceeds the ±5.0% threshold by"))
        #expect(Gate.outcome(of: comparison) == .inconclusive)
    }

    /// `--skip` patterns leave cases out of a time comparison — here the one case, 10% slower —
    /// and the rendering names them; a count comparison never leaves anything out.
    @Test func skippedCasesAreLeftOutOfTimeAndNamed() throws {
        let base = document(quiet(100, seed: 1), instructions: 1000)
        let head = document(quiet(110, seed: 3), instructions: 1000)
        let time = RunComparison.compare(
            base: base, head: head, metric: .time, thresholds: Thresholds(), leavingOut: ["native/into/*"])
        #expect(time.cases.isEmpty && time.added.isEmpty && time.removed.isEmpty)
        #expect(time.leftOut == ["native/into/avx2/n=1000/p=30"])
        let rendered = try Gate.render(time, format: .text)
        #expect(rendered.contains("Left out by --skip (--skip none compares them): native/into/avx2/n=1000/p=30"))
        let other = RunComparison.compare(
            base: base, head: head, metric: .time, thresholds: Thresholds(), leavingOut: ["batch/all_cores/*"])
        #expect(other.cases.map(\.verdict) == [.slower] && other.leftOut == [])
        let counts = RunComparison.compare(
            base: base, head: head, metric: .instructions, thresholds: Thresholds(), leavingOut: ["native/into/*"])
        #expect(counts.cases.count == 1 && counts.leftOut == nil)
    }

    /// The v1 way, the raw samples as independent draws, stays available.
    @Test func theSamplesBasisComparesRawSamples() {
        let comparison = RunComparison.compare(
            base: document(quiet(100, seed: 1)), head: document(quiet(110, seed: 3)), metric: .time,
            thresholds: Thresholds(), basis: .samples)
        #expect(comparison.cases[0].verdict == .slower)
        #expect(comparison.cases[0].reason.contains("p = "))
    }

    @Test func fasterPassesWithTheImprovementReported() {
        #expect(verdict(quiet(100, seed: 1), quiet(80, seed: 2)) == (.faster, .pass))
    }

    @Test func smallSignificantChangesBelowTheThresholdAreUnchanged() {
        #expect(verdict(quiet(100, seed: 1), quiet(102, seed: 2)).0 == .unchanged)
    }

    @Test func instructionCountsAreJudgedByTheirRatio() {
        func compare(_ base: Double, _ head: Double) -> CaseVerdict.Verdict {
            RunComparison.compare(
                base: document(quiet(100, seed: 1), instructions: base),
                head: document(quiet(100, seed: 1), instructions: head),
                metric: .instructions, thresholds: Thresholds()
            ).cases[0].verdict
        }
        #expect(compare(1000, 1000) == .unchanged)
        #expect(compare(1000, 1009) == .unchanged)
        #expect(compare(1000, 1050) == .slower)
        #expect(compare(1000, 900) == .faster)
    }

    @Test func addedRemovedAndGeometricMean() {
        var base = document(quiet(100, seed: 1))
        var head = document(quiet(100, seed: 1))
        var removed = base.cases[0]
        removed.id = "native/into/scalar/n=1000/p=30"
        base.cases.append(removed)
        var added = head.cases[0]
        added.id = "native/into/avx512/n=1000/p=30"
        head.cases.append(added)
        let comparison = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds())
        #expect(comparison.added == ["native/into/avx512/n=1000/p=30"])
        #expect(comparison.removed == ["native/into/scalar/n=1000/p=30"])
        #expect(comparison.geometricMeanRatio == 1)
    }

    @Test func unfitRunsAreNamed() {
        let release = document(quiet(100, seed: 1))
        #expect(Gate.unfitness(base: release, head: release, metric: .time).isEmpty)
        #expect(
            Gate.unfitness(base: release, head: document(quiet(100, seed: 1), build: "debug"), metric: .time)
                == ["the head is a debug build"])
        var other = release
        other.environment.cpuModel = "Other CPU"
        #expect(
            Gate.unfitness(base: release, head: other, metric: .time)
                == ["cpu_model differs ('\(release.environment.cpuModel)' vs 'Other CPU')"])
        // Instruction counts do not depend on the CPU model, only on the code path and compilers.
        #expect(Gate.unfitness(base: release, head: other, metric: .instructions).isEmpty)
        var otherCaches = release
        otherCaches.environment.caches.l2Bytes = 12345
        #expect(Gate.unfitness(base: release, head: otherCaches, metric: .time).first?.hasPrefix("caches.l2_bytes differs (") == true)
        // A run under JSA_DISABLE_CPU_FEATURES played another CPU; a document that predates the
        // record of the cap is not judged on it.
        var uncapped = release
        uncapped.environment.disabledCPUFeatures = []
        var capped = release
        capped.environment.disabledCPUFeatures = ["avx2", "avx512f"]
        #expect(
            Gate.unfitness(base: uncapped, head: capped, metric: .time) == ["disabled_cpu_features differs (none vs avx2,avx512f)"])
        #expect(Gate.unfitness(base: release, head: capped, metric: .time).isEmpty)
        // Whole samples hold the pauses that the median epoch leaves out: a run from before epochs
        // (none recorded) is one of whole samples.
        var epochs = release
        epochs.run.epochsPerSample = 8
        var whole = release
        whole.run.epochsPerSample = nil
        #expect(
            Gate.unfitness(base: whole, head: epochs, metric: .time) == ["run.epochs_per_sample differs (1, whole samples vs 8)"])
        #expect(Gate.unfitness(base: whole, head: epochs, metric: .instructions).isEmpty)
        // Beyond the L2 the pages move a row by several percent; a run from before `--pages` (none
        // recorded) is taken for one on 4 KiB pages.
        var huge = release
        huge.run.pages = .huge
        var base = release
        base.run.pages = .base
        var unrecorded = release
        unrecorded.run.pages = nil
        #expect(Gate.unfitness(base: base, head: huge, metric: .time) == ["run.pages differs (base vs huge)"])
        #expect(Gate.unfitness(base: unrecorded, head: huge, metric: .time) == ["run.pages differs (base vs huge)"])
        #expect(Gate.unfitness(base: unrecorded, head: base, metric: .time).isEmpty)
        #expect(Gate.unfitness(base: base, head: huge, metric: .instructions).isEmpty)
        // Near the L2 one draw of pages reads otherwise than a mix of them; a run from before
        // `--placements` (none recorded) measured on one.
        var placed = base
        placed.run.placements = 8
        #expect(Gate.unfitness(base: unrecorded, head: placed, metric: .time) == ["run.placements differs (1 vs 8)"])
        var single = base
        single.run.placements = 1
        #expect(Gate.unfitness(base: unrecorded, head: single, metric: .time).isEmpty)
        #expect(Gate.unfitness(base: single, head: placed, metric: .instructions).isEmpty)
    }

    @Test func renderingEndsWithThePlainCountLine() throws {
        let comparison = RunComparison.compare(
            base: document(quiet(100, seed: 1)), head: document(quiet(110, seed: 3)),
            metric: .time, thresholds: Thresholds())
        let text = try Gate.render(comparison, format: .text, outcome: .regression)
        #expect(text.hasSuffix("gate: 0 passed, 1 failed, 0 skipped\n"))
        let json = try JSONSerialization.jsonObject(with: Data(try Gate.render(comparison, format: .json).utf8)) as! [String: Any]
        #expect((json["cases"] as! [[String: Any]])[0]["verdict"] as? String == "slower")
    }

    /// The table's base and head are the values whose ratio it shows, named, not the medians.
    @Test func baseAndHeadAreTheComparedValues() throws {
        let base = document(quiet(100, seed: 1))
        let head = document(quiet(110, seed: 3))
        let comparison = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds())
        let c = comparison.cases[0]
        let estimator = try #require(base.cases[0].estimates?.headline)
        #expect(c.measure == estimator.rawValue)
        #expect(c.base == base.cases[0].estimates?[estimator]?.value && c.head == head.cases[0].estimates?[estimator]?.value)
        #expect(abs(c.head / c.base - c.ratio) < 1e-12)
        let text = try Gate.render(comparison, format: .text, outcome: .regression)
        #expect(text.contains("base and head: the values the ratio compares — \(estimator.rawValue) ("))
        let samples = RunComparison.compare(base: base, head: head, metric: .time, thresholds: Thresholds(), basis: .samples)
        #expect(samples.cases[0].measure == "median" && samples.cases[0].base == Statistics.median(base.cases[0].samplesNs))
    }
}

/// Way (b): verdicts on per-round medians of two builds.
@Suite struct PairedGateVerdictTests {
    /// 20 rounds around `center` with ±0.4% of deterministic jitter.
    func rounds(_ center: Double, seed: Int) -> [Double] {
        (0..<20).map { (round: Int) -> Double in
            let step = Double((round * 7 + seed) % 5 - 2)
            return center * (1 + 0.002 * step)
        }
    }

    func judge(_ base: [Double], _ head: [Double]) -> (CaseVerdict.Verdict, Gate.Outcome) {
        let comparison = RunComparison.comparePaired(
            [PairedCase(id: "native/into/avx2/n=1000/p=30", base: base, head: head)],
            thresholds: Thresholds())
        return (comparison.cases[0].verdict, Gate.outcome(of: comparison))
    }

    @Test func identicalRoundsPass() {
        #expect(judge(rounds(100, seed: 1), rounds(100, seed: 1)) == (.unchanged, .pass))
    }

    @Test func tenPercentSlowerInEveryRoundIsARegression() {
        #expect(judge(rounds(100, seed: 1), rounds(110, seed: 3)) == (.slower, .regression))
    }

    @Test func aSlowdownThatDriftsWithTheMachineIsStillFound() {
        // The machine slows down over the job; both builds see it in each round.
        let drift = (0..<20).map { 100 * (1 + 0.05 * Double($0)) }
        #expect(judge(drift, drift.map { $0 * 1.08 }) == (.slower, .regression))
    }

    /// Its reason names the interval and the rounds behind it, as every paired verdict does (a
    /// gate stopped early says so by that count).
    @Test func roundsThatDisagreeFarBeyondTheThresholdAreInconclusive() throws {
        let base = rounds(100, seed: 1)
        let head = base.indices.map { base[$0] * ($0 % 2 == 0 ? 1.3 : 0.75) }
        let (verdict, outcome) = judge(base, head)
        #expect(verdict == .inconclusive && outcome == .inconclusive)
        let judged = RunComparison.comparePaired([PairedCase(id: "a", base: base, head: head)], thresholds: Thresholds())
        let interval = try #require(judged.cases[0].statistics)
        #expect(
            judged.cases[0].reason.hasPrefix(
                "round-to-round noise ±\(Format.number((interval.ci95High - interval.ci95Low) * 50, digits: 1))% "
                    + "(half the 95% CI of the ratio; 95% CI \(Format.number(interval.ci95Low, digits: 3))–"
                    + "\(Format.number(interval.ci95High, digits: 3)), sign test p = "),
            "\(judged.cases[0].reason)")
        #expect(judged.cases[0].reason.contains("(Holm over 1 cases), 20 rounds) exceeds the ±5.0% threshold by"))
    }

    @Test func beyondTheThresholdWithoutTheEvidenceIsNeverPassedAsWithinIt() {
        func judge(_ ratio: Double, _ low: Double, _ high: Double, significant: Bool) -> (CaseVerdict.Verdict, String) {
            RunComparison.judge(
                ratio: ratio, ciLow: low, ciHigh: high, significant: significant, threshold: 0.03, interval: "CI", noiseName: "noise")
        }
        // Slower beyond the threshold, interval clear of 1, but the rounds' sign test not significant.
        let slower = judge(1.064, 1.036, 1.080, significant: false)
        #expect(slower.0 == .inconclusive && slower.1.contains("beyond the 3.0% threshold") && !slower.1.contains("within"))
        // Slower beyond it with a significant test but an interval that reaches 1.
        #expect(judge(1.04, 0.995, 1.05, significant: true).0 == .inconclusive)
        // Faster beyond it without the evidence: not a failure, and not called "within" either.
        let faster = judge(0.936, 0.920, 0.969, significant: false)
        #expect(faster.0 == .unchanged && faster.1.contains("faster beyond the threshold") && !faster.1.contains("within"))
        #expect(judge(1.01, 0.995, 1.02, significant: false).1.hasPrefix("ratio 1.010 within ±3.0%"))
    }

    /// Rounds too few for the sign test to reach its Holm level at all are said to be too few, not
    /// to disagree; with enough, the same agreeing rounds are a verdict.
    @Test func tooFewRoundsAreSaidToBeTooFew() {
        let base = Array(rounds(100, seed: 1).prefix(4))
        let head = base.map { $0 * 0.85 }
        let few = RunComparison.comparePaired(
            [PairedCase(id: "a", base: base, head: head), PairedCase(id: "b", base: base, head: base)], thresholds: Thresholds())
        #expect(few.cases[0].verdict == .unchanged)
        #expect(
            few.cases[0].reason.contains(
                "faster beyond the threshold but 4 rounds cannot be significant over 2 cases (the sign test needs at least 7)"),
            "\(few.cases[0].reason)")
        let slower = RunComparison.comparePaired([PairedCase(id: "a", base: head, head: base)], thresholds: Thresholds())
        #expect(slower.cases[0].verdict == .inconclusive)
        #expect(slower.cases[0].reason.contains("4 rounds cannot be significant over 1 case (the sign test needs at least 6)"))
        let enough = Array(rounds(100, seed: 1).prefix(7))
        let judged = RunComparison.comparePaired(
            [PairedCase(id: "a", base: enough, head: enough.map { $0 * 0.85 }), PairedCase(id: "b", base: enough, head: enough)],
            thresholds: Thresholds())
        #expect(judged.cases[0].verdict == .faster)
        #expect(RunComparison.roundsNeeded(cases: 1) == 6 && RunComparison.roundsNeeded(cases: 12) == 9)
        #expect(RunComparison.roundsNeeded(cases: 24) == 10)
        #expect(RunComparison.tooFewRounds(9, cases: 12) == nil)
        #expect(
            RunComparison.tooFewRounds(8, cases: 12) == "8 rounds cannot be significant over 12 cases (the sign test needs at least 9)")
    }

    /// An inconclusive case whose rounds spread far more than its samples within them says the
    /// workers differ, in its reason, its JSON and once below the table; one whose samples spread
    /// as much does not.
    @Test func inconclusiveRoundsOfDifferingWorkersSaySo() throws {
        let base = rounds(100, seed: 1)
        let head = base.indices.map { base[$0] * ($0 % 2 == 0 ? 1.3 : 0.75) }
        let quiet = Array(repeating: 0.02, count: 20)
        let noisy = Array(repeating: 0.3, count: 20)
        let comparison = RunComparison.comparePaired(
            [
                PairedCase(id: "workers", base: base, head: head, baseSpreads: quiet, headSpreads: quiet),
                PairedCase(id: "samples", base: base, head: head, baseSpreads: noisy, headSpreads: noisy),
                PairedCase(id: "steady", base: base, head: base, baseSpreads: quiet, headSpreads: quiet)
            ], thresholds: Thresholds())
        #expect(comparison.cases.map(\.verdict) == [.inconclusive, .inconclusive, .unchanged])
        #expect(
            comparison.cases[0].reason.hasSuffix("within a round by 2.0%: the workers differ (below the table)"),
            "\(comparison.cases[0].reason)")
        let interval = try #require(comparison.cases[1].statistics)
        let needed = try #require(
            RunComparison.roundsToNarrow(halfWidth: (interval.ci95High - interval.ci95Low) / 2, rounds: 20, threshold: 0.05))
        #expect(needed > 20)
        #expect(comparison.cases[1].reason.contains("; about \(needed) rounds would narrow its interval to the threshold"))
        #expect(!comparison.cases[2].reason.contains("rounds would narrow"))
        // Twice the threshold's half-width from 20 rounds: four times the rounds.
        #expect(RunComparison.roundsToNarrow(halfWidth: 0.1, rounds: 20, threshold: 0.05) == 80)
        #expect(RunComparison.roundsToNarrow(halfWidth: 0.06, rounds: 10, threshold: 0.05) == 15)
        #expect(RunComparison.roundsToNarrow(halfWidth: 0.04, rounds: 20, threshold: 0.05) == nil)
        #expect(RunComparison.roundsToNarrow(halfWidth: .nan, rounds: 20, threshold: 0.05) == nil)
        #expect(!comparison.cases[1].reason.contains("workers differ") && !comparison.cases[2].reason.contains("workers differ"))
        #expect(comparison.inconclusiveForTheirWorkers.map(\.id) == ["workers"])
        let text = try Gate.render(comparison, format: .text)
        #expect(
            text.components(separatedBy: "The workers differ: in 1 inconclusive case the rounds' ratios spread by 3×").count == 2,
            "\(text)")
        let json = try Gate.render(comparison, format: .json)
        let decoded = try JSONDecoder().decode(RunComparison.self, from: Data(json.utf8))
        #expect(decoded.cases[0].roundSpreads == comparison.cases[0].roundSpreads && decoded.cases[0].roundSpreads != nil)
        #expect(json.contains("\"round_spreads\"") && json.contains("\"within_rounds\""))
    }

    @Test func fasterPassesWithTheImprovementReported() {
        #expect(judge(rounds(100, seed: 1), rounds(85, seed: 2)) == (.faster, .pass))
    }

    @Test func addedAndRemovedArePassedThrough() {
        let comparison = RunComparison.comparePaired(
            [PairedCase(id: "a", base: rounds(100, seed: 1), head: rounds(100, seed: 1))],
            added: ["b"], removed: ["c"], thresholds: Thresholds())
        #expect(comparison.added == ["b"] && comparison.removed == ["c"])
        #expect(comparison.geometricMeanRatio == 1)
    }
}

@Suite struct ThresholdTests {
    @Test func defaultsOverridesAndPatterns() throws {
        var thresholds = Thresholds()
        #expect(thresholds.threshold(for: "native/into/avx2/n=1000/p=30", metric: .time) == 0.05)
        #expect(thresholds.threshold(for: "x", metric: .instructions) == 0.01)
        thresholds.overrides = [
            try #require(Thresholds.parseOverride("native/*/avx2/*=10%")),
            try #require(Thresholds.parseOverride("native/into/*=0.02:instructions"))
        ]
        #expect(thresholds.threshold(for: "native/into/avx2/n=1000/p=30", metric: .time) == 0.10)
        #expect(thresholds.threshold(for: "native/into/avx2/n=1000/p=30", metric: .instructions) == 0.02)
        #expect(thresholds.threshold(for: "python/jsa/n=1000/p=30", metric: .time) == 0.05)
        #expect(Thresholds.parseOverride("nopattern") == nil)
        #expect(Thresholds.parseOverride("a=5%:bogus") == nil)
        #expect(Thresholds.parseFraction("0") == nil && Thresholds.parseFraction("5%") == 0.05)
    }

    @Test func configFiles() throws {
        let overrides = try Thresholds.parseConfig("# thresholds\nnative/alloc/* 8%\n\npython/* 0.1 time  # noisy\n")
        #expect(
            overrides == [
                Thresholds.Override(pattern: "native/alloc/*", metric: nil, threshold: 0.08),
                Thresholds.Override(pattern: "python/*", metric: .time, threshold: 0.1)
            ])
        #expect(throws: Thresholds.ConfigError.self) { try Thresholds.parseConfig("native/* lots") }
    }

    @Test func globMatching() {
        #expect(Glob.matches("native/into/avx2", pattern: "native/*"))
        #expect(Glob.matches("native/into/avx2", pattern: "*/avx2"))
        #expect(Glob.matches("native/into/avx2", pattern: "native/*/avx2"))
        #expect(!Glob.matches("native/into/avx2", pattern: "python/*"))
        #expect(Glob.matches("abc", pattern: "abc") && !Glob.matches("abcd", pattern: "abc"))
    }
}
