import Analysis
import BenchModel
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Measurement
import Results
import Statistics
import Testing
@testable import Reporting

@Suite struct MarkdownReportTests {
    /// Writes the fixture as a results JSON file and renders the report from that file, analysed,
    /// as `jsa-bench report` does.
    func render(_ document: ResultsDocument, budgets: [Budget] = []) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard (try? ResultsFile.write(document, to: path)) != nil, var read = try? ResultsFile.read(path) else {
            return "fixture did not round-trip through JSON"
        }
        Analysis.analyze(&read)
        return MarkdownReport.render(
            read,
            .init(
                title: "Fixture report", source: "fixture.json", charts: Charts.all(read),
                budgets: BudgetEvaluation.evaluate(budgets, on: read)))
    }

    /// The overview names the measuring processes of the native cases and, where the ladder's
    /// differ, its helper processes.
    @Test func theOverviewNamesTheMeasuringAndTheHelperProcesses() {
        var document = Fixture.complete()
        for index in document.cases.indices { document.cases[index].sampleProcesses = [0, 0, 1, 1, 2] }
        var rung = Fixture.timed("python", "jsa", nil, n: 1000, median: 200)
        rung.sampleProcesses = [0, 1, 2, 3, 4]
        document.cases.append(rung)
        Analysis.analyze(&document)
        let overview = MarkdownReport.overview(document, budgets: [])
        #expect(
            overview.contains("5 rounds per size over 3 measuring processes (the Python ladder's over 5 helper processes)."),
            "\(overview)")
        document.cases.removeLast()
        Analysis.analyze(&document)
        #expect(MarkdownReport.overview(document, budgets: []).contains("5 rounds per size over 3 measuring processes."))
    }

    /// The overview says which pages the buffers lay on and, where a process moved through more
    /// than one, how many placements of them.
    @Test func theOverviewNamesThePagesAndThePlacements() {
        var document = Fixture.complete()
        document.run.pages = .base
        #expect(MarkdownReport.overview(document, budgets: []).contains("warm caches, buffers on 4 KiB pages, "))
        document.run.placements = 8
        #expect(MarkdownReport.overview(document, budgets: []).contains("buffers on 4 KiB pages (8 placements per process), "))
        document.run.placements = 1
        #expect(MarkdownReport.overview(document, budgets: []).contains("buffers on 4 KiB pages, "))
    }

    /// A size the run asked for and holds no case of (no measuring process ran for it) is named in
    /// the overview; a run whose sizes all hold cases names none, nor does an interrupted one.
    @Test func theOverviewNamesASizeThatWasNotMeasured() {
        var document = Fixture.complete()
        #expect(!MarkdownReport.overview(document, budgets: []).contains("Not measured"))
        document.run.sizes.append(50_000_000)
        let overview = MarkdownReport.overview(document, budgets: [])
        #expect(overview.contains("- **Not measured: n = 50000000** — no measuring process ran for this size"), "\(overview)")
        #expect(document.unmeasuredSizes == [50_000_000])
        // An interrupted run stopped before its missing sizes: none of them failed.
        document.complete = false
        #expect(document.unmeasuredSizes.isEmpty)
        #expect(!MarkdownReport.overview(document, budgets: []).contains("Not measured"))
    }

    @Test func completeReportHasEverySectionAndTheFixturesNumbers() throws {
        let budgets = try BudgetFile.parse("speedup_over_scalar native/into/avx512/n=1000/* >= 3.5 -- avx512 fast enough\n")
        let report = render(Fixture.complete(), budgets: budgets)
        for heading in [
            "# Fixture report", "## Overview", "## Kernel variants", "### Hardware counters",
            "## The call path and allocation", "## Python binding", "## Trust", "## Budgets", "## Conclusions",
            "## Reproduce"
        ] {
            #expect(report.contains("\n\(heading)\n") || report.hasPrefix("\(heading)\n"), "missing \(heading)")
        }
        // Times: 1 decimal in ns; ratios: 2 decimals; percentages: 1 decimal. The fixture's samples
        // move alike in every round, so within-round ratios are exact.
        // The blocked time is the case at the run's median round; which round that is moves with
        // the resampled rounds (±1% in the fixture's pattern), the ratios do not.
        #expect(report.contains("| into avx2 | 100.0 ns | ±1.0% | — | — | blocked | 0.100 | 160.0 | 1.25 | 4.00× | 0.00 | yes |"))
        #expect(report.contains("**SIMD at L1 (n = 1000):** avx2 4.00× (95% CI 4.00–4.00), avx512 3.20× (95% CI 3.20–3.20) scalar"))
        #expect(report.contains("| 1000 | avx2 | 150.0 ns | 100.0 ns | 1.50 | 1.50–1.50 | 0.0 |"))
        #expect(
            report.contains(
                "| 1000 | 125.0 ns | 165.0 ns | 11.0 ns | 29.0 ns | — | 18.8% | 25.0 ns | 12.0 ns | 100.0 ns | 0.0 | 14.25× | 40.0% | 30.0% |"
            ))
        #expect(report.contains("The overhead is under 5% of the call from n = **32768**."))
        #expect(report.contains("\"~500 µs unavoidable\" Python overhead is not reproduced"))
        #expect(report.contains("![JSA direct-write: time per element by input size](ns-per-element.svg)"))
        #expect(report.contains("![Where a Python jsa(x, p) call's time goes](python-ladder.svg)"))
        #expect(report.contains("| into avx2 | 1000 | 0.260 | 0.520 | 2.00 | 2.60 |"))
        #expect(report.contains("| into scalar | 1000 | 8117 | 8.117 | ran scalar |"))
        #expect(report.contains("jsa-bench sweep --preset default"))
        #expect(report.contains("git aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
        #expect(
            report.contains(
                "At DRAM (n = 8388608) the fastest SIMD kernel, avx2, is 0.98× (95% CI 0.98–0.98) scalar and takes "
                    + "0.93× (95% CI 0.93–0.93) memcpy's time: it runs at the copy roofline"))
        #expect(report.contains("cost up to 1.20× (95% CI 1.20–1.20)"))
        #expect(
            report.contains(
                "| MISSED | avx512 fast enough [speedup_over_scalar >= 3.500] | native/into/avx512/n=1000: 3.200 × (3.200–3.200) |"))
        #expect(report.contains("- **Budgets:** 0 met, 1 missed, 0 within noise, 0 not measured (see Budgets)."))
    }

    /// A title is text, not markdown: nothing in it can add a heading, a link or HTML to the report.
    /// The legend names the headline rule of the run's machine class: the core-bound rule, or
    /// normalized for every native case on a class whose host moves every case with the probe, or
    /// fast_level for every native case on one whose slower level is a clock step; a class without
    /// a rule of its own (the Intel Xeon guests of model 0xCF) has the core-bound rule.
    @Test func theLegendSaysWhichRuleChoseTheHeadlines() throws {
        var document = Fixture.complete()
        #expect(ReportTables.casesLegend(document).contains("normalized where the case takes at least 2× memcpy's time per byte"))
        document.environment.cpuIdentity = "AuthenticAMD family 0x17 model 0x1"
        let legend = ReportTables.casesLegend(document)
        #expect(legend.contains("normalized for every native case on this machine class (AMD EPYC (QEMU's EPYC model))"))
        #expect(MarkdownReport.render(document, .init(title: "t", source: "s.json", charts: [])).contains(legend))
        document.environment.cpuIdentity = "AuthenticAMD family 0x1A model 0x2"
        #expect(ReportTables.casesLegend(document).contains("normalized for every native case on this machine class (AMD EPYC Zen 5)"))
        document.environment.cpuIdentity = "AuthenticAMD family 0x19 model 0x11"
        #expect(ReportTables.casesLegend(document).contains("fast_level for every native case on this machine class (AMD EPYC Zen 4)"))
        document.environment.cpuIdentity = "GenuineIntel family 0x6 model 0xCF"
        #expect(ReportTables.casesLegend(document).contains("(normalized where the case takes at least 2× memcpy's time per byte"))
        #expect(!ReportTables.casesLegend(document).contains("this machine class"))
    }

    @Test func theSpeedIndexLineSaysHowLongTheSamplesWaitedForTheFastLevel() throws {
        var document = Fixture.complete()
        for c in document.cases.indices {
            document.cases[c].sampleRounds = Array(document.cases[c].samplesNs.indices)
            document.cases[c].probesNs = document.cases[c].samplesNs.map { _ in 1_000 }
        }
        Analysis.analyze(&document)
        #expect(try #require(ReportTables.speedIndexLine(document)).contains("waited") == false)
        document.run.fastLevelWaitBudget = 2
        document.cases[0].waitedNs = 3e6
        document.cases[1].waitedNs = 4.5e6
        #expect(
            try #require(ReportTables.speedIndexLine(document)).contains(
                "; before the samples the sampler waited 7.50 ms in all for the fast level "
                    + "(--wait-for-fast-level 2.0: at most 2.0× the time spent sampling)."))
    }

    /// The overhead's table, its 5% size and the conclusions take one figure per size: the
    /// within-round estimate where the analysis has it, else the medians' difference; where the
    /// largest size measured is still at 5% or more, the report says so and names it.
    @Test func theOverheadThresholdFollowsTheTablesOverhead() {
        var document = Fixture.complete()
        #expect(ReportTables.overheadThreshold(document, strong: true) == "The overhead is under 5% of the call from n = **32768**")
        document.python!.sizes = document.python!.sizes.map { size in
            var size = size
            size.overheadOutNs = size.nativeIntoNs
            return size
        }
        #expect(document.pythonOverheadUnder5PercentFrom == nil)
        #expect(
            ReportTables.overheadThreshold(document)
                == "The overhead is still 5% of the call or more at the largest size measured, n = 32768")
        #expect(render(document, budgets: []).contains("at the largest size measured, n = 32768."))
        // With a within-round estimate whose interval reaches below 5% of the call (5200 / 19 ns),
        // the sentence says the point estimate does not settle it; the table shows that estimate.
        var jsaOut = Fixture.timed("python", "jsa_out", nil, n: 32768, median: 5500)
        jsaOut.id = "python/jsa_out/n=32768/p=30"
        document.cases.append(jsaOut)
        document.analysis = RunAnalysis(
            estimators: [:], speedIndex: nil, ratios: [],
            differences: [
                DifferenceEstimate(
                    kind: .pythonCallOverheadOut, n: 32768, subject: jsaOut.id,
                    estimate: IntervalEstimate(value: 300, ci95Low: 100, ci95High: 500), rounds: 20)
            ])
        #expect(
            ReportTables.overheadThreshold(document)
                == "The overhead is still 5% of the call or more at the largest size measured, n = 32768, though its 95% "
                + "interval (100.0 ns – 500.0 ns) reaches below 5% (273.7 ns)")
        #expect(ReportTables.python(document)!.rows.last!.prefix(7).joined(separator: " ").hasSuffix("300.0 ns 100.0 ns – 500.0 ns 5.5%"))
    }

    /// Where the run has intervals, the 5% sentence says from which size the overhead's 95%
    /// interval lies under 5% of the call too: a point estimate in the middle can be noise.
    @Test func theOverheadThresholdSaysWhereItsIntervalAgrees() {
        func document(_ intervals: [Int: IntervalEstimate]) -> ResultsDocument {
            var document = Fixture.complete()
            var differences: [DifferenceEstimate] = []
            for (n, interval) in intervals.sorted(by: { $0.key < $1.key }) {
                var jsaOut = Fixture.timed("python", "jsa_out", nil, n: n, median: 5000)
                jsaOut.id = "python/jsa_out/n=\(n)/p=30"
                document.cases.append(jsaOut)
                differences.append(
                    DifferenceEstimate(kind: .pythonCallOverheadOut, n: n, subject: jsaOut.id, estimate: interval, rounds: 20))
            }
            document.analysis = RunAnalysis(estimators: [:], speedIndex: nil, ratios: [], differences: differences)
            return document
        }
        // 5% of the call: 125 / 19 = 6.6 ns at n = 1000, 5200 / 19 = 273.7 ns at n = 32768.
        let agrees = document([1000: .init(value: 40, ci95Low: 30, ci95High: 50), 32768: .init(value: 60, ci95Low: 20, ci95High: 100)])
        #expect(agrees.pythonOverheadIntervalUnder5Percent == .from(32768))
        #expect(ReportTables.overheadThreshold(agrees) == "The overhead is under 5% of the call from n = 32768, its 95% interval too")
        let noisyMiddle = document([1000: .init(value: 5, ci95Low: -5, ci95High: 40), 32768: .init(value: 60, ci95Low: 20, ci95High: 100)])
        #expect(noisyMiddle.pythonOverheadUnder5PercentFrom == 1000)
        #expect(
            ReportTables.overheadThreshold(noisyMiddle)
                == "The overhead is under 5% of the call from n = 1000, its 95% interval from n = 32768")
        let wide = document([1000: .init(value: 40, ci95Low: 30, ci95High: 50), 32768: .init(value: 60, ci95Low: 20, ci95High: 400)])
        #expect(wide.pythonOverheadIntervalUnder5Percent == .notReached)
        #expect(
            ReportTables.overheadThreshold(wide)
                == "The overhead is under 5% of the call from n = 32768, though its 95% interval reaches 5% up to the largest size measured"
        )
        // One size without an interval: the sentence says nothing of intervals.
        let partial = document([32768: .init(value: 60, ci95Low: 20, ci95High: 100)])
        #expect(partial.pythonOverheadIntervalUnder5Percent == .noIntervals)
        #expect(ReportTables.overheadThreshold(partial) == "The overhead is under 5% of the call from n = 32768")
        var analyzed = noisyMiddle
        analyzed.python!.overheadIntervalUnder5PercentFrom = analyzed.pythonOverheadIntervalUnder5Percent.size
        #expect(analyzed.python!.overheadIntervalUnder5PercentFrom == 32768)
    }

    /// A batch names the threads it ran on, and an all-cores batch that ran on one (too small to
    /// spread, `JSABatch.runsInParallel`) says it was asked for all cores.
    @Test func aBatchNamesItsThreads() {
        func batch(_ variant: String, threads: Int) -> CaseResult {
            var c = Fixture.timed("batch", variant, "auto", n: 1000, median: 2000)
            c.periods = Array(10...40)
            c.threads = threads
            return c
        }
        #expect(ReportTables.label(batch("single_thread", threads: 1)) == "batch 31 rows, 1 thread")
        #expect(ReportTables.label(batch("all_cores", threads: 2)) == "batch 31 rows, 2 threads")
        #expect(ReportTables.label(batch("all_cores", threads: 1)) == "batch 31 rows, all cores→1 thread")
    }

    @Test func theTitleIsEscaped() {
        let report = render(Fixture.complete()).replacingOccurrences(of: "Fixture report", with: "")
        let title = MarkdownReport.escaped("# <script>x</script> [a](b)\n## two")
        #expect(title == "\\# \\<script\\>x\\</script\\> \\[a\\]\\(b\\) \\#\\# two")
        #expect(!report.isEmpty)
    }

    /// A run under JSA_DISABLE_CPU_FEATURES says so where the machine is described, and its
    /// Reproduce command sets the variable again; the new fields survive the JSON.
    @Test func aCappedRunIsReproducedWithItsCap() {
        var document = Fixture.complete()
        document.environment.cpuIdentity = "GenuineIntel family 0x6 model 0xA7"
        document.environment.disabledCPUFeatures = ["avx512f"]
        let report = render(document)
        #expect(report.contains("(GenuineIntel family 0x6 model 0xA7), "))
        #expect(report.contains("; kernels capped by JSA_DISABLE_CPU_FEATURES=avx512f |"))
        #expect(report.contains("```sh\nJSA_DISABLE_CPU_FEATURES=avx512f jsa-bench sweep --preset default"))
        let uncapped = render(Fixture.complete())
        #expect(!uncapped.contains("JSA_DISABLE_CPU_FEATURES"))
        #expect(uncapped.contains("```sh\njsa-bench sweep --preset default"))
    }

    /// A run whose kernel variants were forced repeats the variables, after the cap.
    @Test func aRunWithForcedVariantsIsReproducedWithThem() {
        var document = Fixture.complete()
        document.environment.disabledCPUFeatures = ["avx512f"]
        document.environment.forcedVariants = ["JSA_AVX2_VARIANT=split-loads"]
        let command = "JSA_DISABLE_CPU_FEATURES=avx512f JSA_AVX2_VARIANT=split-loads jsa-bench sweep --preset default"
        #expect(render(document).contains("```sh\n" + command))
    }

    @Test func withoutCountersSaysSoInOneLine() {
        let report = render(Fixture.withoutCounters())
        #expect(report.contains("No hardware counters were requested for this run"))
        #expect(!report.contains("Instructions per call under callgrind"))
    }

    @Test func withoutPythonSaysSoAndDrawsNoPythonCharts() {
        let document = ConclusionTests.analysed(Fixture.withoutPython())
        let report = render(document)
        #expect(report.contains("The Python ladder was not run (`--no-python`)."))
        #expect(report.contains("neither confirmed nor refuted"))
        #expect(Charts.all(document).map(\.file) == ["ns-per-element.svg", "fraction-of-memcpy.svg"])
    }

    @Test func failedVerificationIsReportedNotHidden() {
        let report = render(Fixture.failedVerification())
        #expect(report.contains("**Verification: 1 case(s) FAILED** (native/into/avx512/n=32768/p=30)"))
        #expect(report.contains("Unverified (output differed from scalar; not timed): `native/into/avx512/n=32768/p=30`."))
    }
}

@Suite struct ConclusionTests {
    static func analysed(_ document: ResultsDocument) -> ResultsDocument {
        var document = document
        Analysis.analyze(&document)
        return document
    }

    /// The allocation sentence says which pages the faulting calls met, where the run records it.
    @Test func theAllocationConclusionNamesThePages() throws {
        var document = Self.analysed(Fixture.complete())
        let unrecorded = try #require(Conclusions.allocation(document))
        #expect(
            unrecorded.contains("at n = 8388608 `jsa` costs ") && unrecorded.contains("because every call faults in 32770 fresh pages;"))
        document.run.pages = .base
        #expect(
            try #require(Conclusions.allocation(document)).contains(
                "faults in 32770 fresh 4 KiB pages (`--pages base`; `--pages huge` measures the huge pages the JSA library "
                    + "advises for large outputs);"))
        document.run.pages = .huge
        #expect(
            try #require(Conclusions.allocation(document)).contains(
                "faults in 32770 fresh pages (`--pages huge`: 2 MiB ones where the system granted them);"))
    }

    /// The fixture with the samples of every `variant` case 0.92–1.12× those of `into` with the
    /// same kernel and size, round by round: 5% slower on average, but the rounds do not agree.
    static func straddlingInto(_ variant: String) -> ResultsDocument {
        var document = Fixture.complete()
        for i in document.cases.indices where document.cases[i].variant == variant {
            let c = document.cases[i]
            let into = document.cases.first { $0.variant == "into" && $0.kernel == c.kernel && $0.n == c.n }!
            document.cases[i].samplesNs = zip(into.samplesNs, [0.92, 1.0, 1.08, 1.03, 1.12]).map { $0 * $1 }
        }
        return document
    }

    /// Above the copy roofline the conclusion says what limits the kernel: in the fixture avx2
    /// takes 1.25× memcpy's and 1.11× STREAM add's time at n = 1000 (its own work); with STREAM
    /// add as slow as avx2, the loads and stores both make.
    @Test func aKernelAboveTheCopyRooflineIsPutAgainstStreamAdd() throws {
        let own = try #require(Conclusions.levels(Self.analysed(Fixture.complete())).first)
        #expect(
            own.contains("takes 1.25× (95% CI 1.25–1.25) memcpy's time: it is slower than a copy of the same bytes and than STREAM add"))
        #expect(own.hasSuffix("(1.11× (95% CI 1.11–1.11)), so the limit is the kernel's own work in the core."), "\(own)")
        var document = Fixture.complete()
        let index = try #require(document.cases.firstIndex { $0.id == "reference/stream_add/n=1000" })
        document.cases[index] = Fixture.timed("reference", "stream_add", nil, n: 1000, median: 100, bytesPerElement: 24)
        let accesses = try #require(Conclusions.levels(Self.analysed(document)).first)
        #expect(accesses.contains("but takes 1.00× (95% CI 1.00–1.00) the time of STREAM add"), "\(accesses)")
        #expect(accesses.contains("the core's loads and stores set the limit, not JSA's arithmetic"))
    }

    /// Where glibc's memcpy is surely more than 10% slower than the vector copy loop of the same
    /// size (rep movsb at L1 on AMD Zen 5), the kernel is put against the loop, and the line says
    /// what memcpy takes: in the fixture avx2 at n = 1000 takes 100 ns, memcpy 80 and the loop 50.
    @Test func aSlowMemcpyIsReplacedByTheCopyLoopAsTheRoofline() throws {
        var document = Fixture.complete()
        document.cases.append(Fixture.timed("reference", "copy_loop", nil, n: 1000, median: 50))
        document.cases.append(Fixture.timed("reference", "copy_loop", nil, n: 32768, median: 5_000))
        let analysed = Self.analysed(document)
        let memcpyOverLoop = try #require(analysed.analysis?.ratio(.fractionOfCopyLoop, of: "reference/memcpy/n=1000"))
        #expect(abs(memcpyOverLoop.estimate.value - 1.6) < 0.02)
        let into = try #require(analysed.cases.first { $0.id == "native/into/avx2/n=1000/p=30" })
        #expect(abs((into.derived.fractionOfCopyLoop ?? 0) - 2.0) < 0.02)
        let memcpy = try #require(analysed.cases.first { $0.id == "reference/memcpy/n=1000" })
        #expect(abs((memcpy.derived.fractionOfCopyLoop ?? 0) - 1.6) < 0.02)
        let lines = Conclusions.levels(analysed)
        let l1 = try #require(lines.first)
        #expect(
            l1.contains(
                "takes 1.25× (95% CI 1.25–1.25) memcpy's time but 2.00× (95% CI 2.00–2.00) that of a vector copy loop, "
                    + "which memcpy itself takes 1.60× (95% CI 1.60–1.60) here: it is slower than a copy of the same bytes"), "\(l1)")
        // At n = 32768 memcpy is as fast as the loop: the line is put against memcpy, as before.
        #expect(lines.dropFirst().first?.contains("memcpy's time: it ") == true, "\(lines)")
    }

    /// A kernel surely faster than memcpy by more than the roofline's 10% is not called
    /// bandwidth-bound by it: that memcpy is no roofline at the size (plain stores where JSA
    /// streams, glibc's `rep movsb` on Zen 5). Within the tolerance, it runs at the copy roofline.
    @Test func aKernelSurelyFasterThanMemcpyIsNotPutAtItsRoofline() {
        let faster = Conclusions.bound(
            fraction: IntervalEstimate(value: 0.83, ci95Low: 0.77, ci95High: 0.89),
            streamAdd: IntervalEstimate(value: 1.02, ci95Low: 1.01, ci95High: 1.03))
        #expect(faster.hasPrefix("is faster than this memcpy, which takes more than 10% longer over the same bytes, so memcpy is no"))
        #expect(
            faster.hasSuffix(
                "it takes 1.02× (95% CI 1.01–1.03) the time of STREAM add (two loads and one store per element)"))
        for alike in [
            IntervalEstimate(value: 0.97, ci95Low: 0.94, ci95High: 1.01), IntervalEstimate(value: 0.90, ci95Low: 0.89, ci95High: 0.92)
        ] {
            #expect(Conclusions.bound(fraction: alike, streamAdd: nil).hasPrefix("runs at the copy roofline"), "\(alike)")
        }
    }

    /// The fixture's aliased outputs take 1.2× the time in every round: beyond the noise.
    @Test func aliasingBeyondTheNoiseIsCountedAndNamed() throws {
        let line = try #require(Conclusions.aliasing(Self.analysed(Fixture.complete())))
        #expect(line.hasPrefix("An output at the input's page offset (4K aliasing) cost up to 1.20× (95% CI 1.20–1.20) ("), "\(line)")
        #expect(line.contains("beyond the noise in 12 of 12 cases"), "\(line)")
    }

    /// The fixture's inputs off their line take 1.1× the time in every round; within the noise where
    /// their samples straddle `into`'s.
    @Test func anInputOffItsLineIsCountedAndNamedOrSaidToBeWithinTheNoise() throws {
        let line = try #require(Conclusions.offsetInput(Self.analysed(Fixture.complete())))
        #expect(
            line.hasPrefix("An input 16 bytes off its cache line (the output on one) cost up to 1.10× (95% CI 1.10–1.10) ("),
            "\(line)")
        #expect(line.contains("beyond the noise in 12 of 12 cases: allocate arrays on 64-byte boundaries"), "\(line)")
        let noise = try #require(Conclusions.offsetInput(Self.analysed(Self.straddlingInto("into_offset"))))
        #expect(noise.hasPrefix("An input 16 bytes off its cache line (the output on one) cost nothing beyond the noise"), "\(noise)")
    }

    /// The fixture's `auto` runs avx512 (125 ns at n = 1000, 5200 ns at n = 32768, 5.2 ms at
    /// n = 8388608) where avx2 (100 ns, 5000 ns) and then scalar (5 ms) are faster in every round:
    /// the table names the fastest kernel per size and the conclusion counts the levels beyond 3%.
    @Test func autoIsComparedWithTheFastestExplicitKernel() throws {
        let document = Self.analysed(Fixture.complete())
        let table = try #require(ReportTables.autoChoice(document))
        #expect(
            table.rows.map { Array($0.prefix(5)) } == [
                ["1000", "L1", "avx512", "avx2", "1.250"], ["32768", "L2", "avx512", "avx2", "1.040"],
                ["8388608", "DRAM", "avx512", "scalar", "1.040"]
            ])
        let line = try #require(Conclusions.autoChoice(document))
        #expect(line.contains("at n = 1000 (L1) it ran avx512 where avx2 was fastest: 1.25× (95% CI 1.25–1.25)"), "\(line)")
        #expect(
            line.hasSuffix(
                "more than 3% slower beyond the noise at 3 sizes: if more runs agree (scripts/kernel-evidence), a rule in the auto "
                    + "table (docs/kernels.md) would choose better there."),
            "\(line)")
    }

    /// Where `auto` runs the fastest kernel, the conclusion says so and finds no loss.
    @Test func autoRunningTheFastestKernelIsSaidToBe() throws {
        var document = Fixture.complete()
        for i in document.cases.indices where document.cases[i].kernel == "avx512" || document.cases[i].kernel == "auto" {
            let c = document.cases[i]
            let avx2 = document.cases.first { $0.variant == c.variant && $0.kernel == "avx2" && $0.n == c.n }!
            document.cases[i].samplesNs = avx2.samplesNs.map { $0 * (c.kernel == "auto" ? 0.91 : 0.9) }
        }
        let line = try #require(Conclusions.autoChoice(Self.analysed(document)))
        #expect(line.contains("at n = 1000 (L1) it ran avx512, the fastest: 1.01× (95% CI 1.01–1.01)"), "\(line)")
        #expect(line.hasSuffix("; nowhere more than 3% slower beyond the noise."), "\(line)")
    }

    /// AVX-512 against AVX2 per level: slower where the intervals of their speed-ups part, within the
    /// noise where they overlap (the fixture's avx512 is 25% slower at n = 1000; at n = 32768 it is
    /// made as fast as avx2 here).
    @Test func avx512AgainstAVX2IsSlowerOrWithinTheNoisePerLevel() throws {
        var document = Fixture.complete()
        for i in document.cases.indices where document.cases[i].kernel == "avx512" && document.cases[i].n == 32768 {
            let c = document.cases[i]
            document.cases[i].samplesNs = document.cases.first { $0.variant == c.variant && $0.kernel == "avx2" && $0.n == c.n }!.samplesNs
        }
        let line = try #require(Conclusions.widths(Self.analysed(document)).first)
        #expect(line.hasPrefix("AVX-512 against AVX2, direct-write: slower at L1 (n = 1000: 3.20×"), "\(line)")
        #expect(line.contains("; within the noise at L2 (n = 32768: "), "\(line)")
    }

    /// A 5% difference that the rounds do not carry (aliased samples that overlap `into`'s, so the
    /// interval of the within-round ratio covers 1) is not called a penalty.
    @Test func aliasingWithinTheNoiseIsSaidToBe() throws {
        let line = try #require(Conclusions.aliasing(Self.analysed(Self.straddlingInto("into_aliased"))))
        #expect(line.hasPrefix("An output at the input's page offset (4K aliasing) cost nothing beyond the noise in this run"), "\(line)")
    }
}

@Suite struct SimulatedReportTests {
    @Test func theCountersSectionIsFilledFromTheSimulationAndSaysSo() throws {
        let document = ConclusionTests.analysed(Fixture.simulated())
        let report = MarkdownReport.render(document, .init(title: "t", source: "s.json", charts: Charts.all(document)))
        #expect(report.contains("### Simulated counters (callgrind)"))
        #expect(report.contains("Simulated, not measured: callgrind-3.19.0 with cache and branch simulation"))
        #expect(report.contains("LL 8.0 MiB, 16-way, 64 B lines"))
        #expect(report.contains("Estimated cycles = Ir + 10 × (I1mr + D1mr + D1mw) + 100 × (ILmr + DLmr + DLmw)"))
        #expect(report.contains("![Simulated cache misses per element (callgrind, warm)](simulated-misses.svg)"))
        // An AVX-512 case shows its AVX2 twin's counts beside its own measured time.
        let avx512 = try #require(report.split(separator: "\n").first { $0.hasPrefix("| into avx512 | 1000 |") })
        #expect(avx512.contains("avx2 in place of avx512") && avx512.contains("| 1.630 |"))
        #expect(report.contains("doubles per FP instruction, least over the cases — avx2 4.00, scalar 1.00."))
        #expect(report.contains("ran the widths its kernel names"))
        let terminal = TerminalSummary.render(document)
        #expect(terminal.contains("Simulated, not measured") && terminal.contains("avx2 in place of avx512"))
    }

    /// The counters' summary line is printed once, with their table, not again among the
    /// diagnostics; the other warnings are listed.
    @Test func theCountersLineIsPrintedOnce() throws {
        var document = Fixture.complete()
        let line = try #require(document.counters?.summaryLine)
        document.diagnostics += [Diagnostic(.warning, "counters", line), Diagnostic(.warning, "steal_time", "the hypervisor stole 2%")]
        let terminal = TerminalSummary.render(document)
        #expect(terminal.components(separatedBy: line).count == 2, "\(terminal)")
        #expect(terminal.contains("  warning: the hypervisor stole 2%"))
    }

    @Test func aWidthMismatchIsNamed() {
        var document = Fixture.simulated()
        let index = document.cases.firstIndex { $0.id == "native/into/avx2/n=1000/p=30" }!
        document.cases[index].simulated?.vectorWidthMismatch = "an avx2 kernel retired no 256-bit FP instructions"
        #expect(
            ReportTables.vectorWidthLine(document)?.contains(
                "**Mismatch:** `native/into/avx2/n=1000/p=30`: an avx2 kernel retired no 256-bit FP instructions.") == true)
    }

    @Test func theMissesChartMarksTheSimulatedCaches() throws {
        let chart = try #require(Charts.all(Fixture.simulated()).first { $0.file == "simulated-misses.svg" })
        var unique: [String] = []
        for name in SeriesNames.of(chart.svg) where !unique.contains(name) { unique.append(name) }
        #expect(unique == ["into scalar D1", "into scalar LL", "into avx2 D1", "into avx2 LL", "into auto D1", "into auto LL"])
        #expect(chart.svg.contains("D1 32.0 KiB full") && chart.svg.contains("LL 8.0 MiB full"))
        #expect(Charts.all(Fixture.complete()).allSatisfy { $0.file != "simulated-misses.svg" })
    }

    @Test func exportsCarryTheSimulatedMetricsUnderTheirNames() throws {
        let document = Fixture.simulated()
        let csv = try Exports.render(document, as: .csv).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "simulated_ll_misses_per_element"))
        let row = try #require(csv.first { $0.hasPrefix("native/into/avx2/n=8388608/p=30,") })
        #expect(row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[column] == "0.25")
        let bmf =
            try JSONSerialization.jsonObject(with: Data(try Exports.render(document, as: .bmf).utf8))
            as! [String: [String: [String: Double]]]
        #expect(bmf["native/into/scalar/n=1000/p=30"]?["simulated_instructions_per_call"]?["value"] == 8000)
        #expect(bmf["native/into/avx512/n=1000/p=30"]?["simulated_instructions_per_call"] == nil)
        let gbench = try JSONSerialization.jsonObject(with: Data(try Exports.render(document, as: .gbench).utf8)) as! [String: Any]
        let entry = (gbench["benchmarks"] as! [[String: Any]]).first { $0["name"] as? String == "native/into/avx2/n=1000/p=30_median" }
        #expect(entry?["simulated_estimated_cycles_per_call"] as? Double == 1630)
        #expect(entry?["simulated_d1_misses_per_element"] as? Double == 0)
    }
}

@Suite struct ChartTests {
    @Test func everyChartIsValidXMLWithItsSeries() throws {
        let charts = Charts.all(ConclusionTests.analysed(Fixture.complete()))
        #expect(charts.map(\.file) == ["ns-per-element.svg", "fraction-of-memcpy.svg", "python-ladder.svg", "python-speedup.svg"])
        let expected: [String: [String]] = [
            "ns-per-element.svg": ["into scalar", "into avx2", "into avx512", "into auto", "memcpy", "stream_add"],
            "fraction-of-memcpy.svg": ["into scalar", "into avx2", "into avx512", "into auto"],
            "python-ladder.svg": ["native kernel", "empty loop", "call + parsing", "buffers", "rest of jsa(out=o)", "output allocation"],
            "python-speedup.svg": ["jsa(out=o) vs np.add baseline", "jsa() vs naive NumPy"]
        ]
        for chart in charts {
            let document = try XMLDocument(data: Data(chart.svg.utf8))
            let root = try #require(document.rootElement())
            #expect(root.name == "svg")
            let names = SeriesNames.of(chart.svg)
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            #expect(unique == expected[chart.file], "\(chart.file)")
            #expect(try document.nodes(forXPath: "//*[local-name()='title']").first?.stringValue == chart.title)
        }
    }

    @Test func logTicksAndNiceSteps() {
        #expect(SVGChart.ticks((1000, 1e7), scale: .log10) == [1000, 1e4, 1e5, 1e6, 1e7])
        #expect(SVGChart.niceStep(0.23) == 0.5)
        #expect(SVGChart.niceStep(7) == 10)
        #expect(SVGChart.tickLabel(1e6, scale: .log10) == "1M")
        #expect(SVGChart.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }
}

@Suite struct ExportTests {
    @Test func gbenchHasTheFieldsCompareDotPyReads() throws {
        let document = Fixture.complete()
        let json = try JSONSerialization.jsonObject(with: Data(try Exports.render(document, as: .gbench).utf8)) as! [String: Any]
        let benchmarks = json["benchmarks"] as! [[String: Any]]
        for entry in benchmarks {
            #expect(entry["name"] is String && entry["real_time"] is Double && entry["cpu_time"] is Double)
            #expect(entry["time_unit"] as? String == "ns")
            #expect(["iteration", "aggregate"].contains(entry["run_type"] as? String))
            #expect(entry["repetitions"] as? Int == 5)
        }
        let timed = document.cases.filter { $0.stats != nil }.count
        #expect(benchmarks.filter { $0["run_type"] as? String == "iteration" }.count == 5 * timed)
        let median = benchmarks.first { $0["name"] as? String == "native/into/avx2/n=1000/p=30_median" }
        #expect(median?["real_time"] as? Double == 100)
        #expect((json["context"] as! [String: Any])["jsa_bench_cpu_time_is_wall_time"] as? Bool == true)
    }

    /// Found by Fuzz/results: an environment whose frequency is no frequency trapped the export.
    @Test(arguments: [1e300, -5, Double.infinity, Double.nan])
    func fuzz_aFrequencyThatIsNoneExportsAsZero(frequency: Double) throws {
        var document = Fixture.complete()
        document.environment.frequencyMHz = frequency
        let json = try JSONSerialization.jsonObject(with: Data(try Exports.render(document, as: .gbench).utf8)) as! [String: Any]
        #expect((json["context"] as! [String: Any])["mhz_per_cpu"] as? Int == 0)
    }

    @Test func bencherMetricFormatCarriesLatencyWithItsInterval() throws {
        let json =
            try JSONSerialization.jsonObject(with: Data(try Exports.render(Fixture.complete(), as: .bmf).utf8))
            as! [String: [String: [String: Double]]]
        let avx2 = try #require(json["native/into/avx2/n=1000/p=30"])
        #expect(avx2["latency"]?["value"] == 100)
        #expect(avx2["latency"]!["lower_value"]! <= 100 && avx2["latency"]!["upper_value"]! >= 100)
        #expect(avx2["throughput"]?["value"] == 160)
        #expect(json["native/into/scalar/n=1000/p=30"]?["instructions"]?["value"] == 8117)
    }

    @Test func csvHasOneRowPerCase() throws {
        let document = Fixture.complete()
        let lines = try Exports.render(document, as: .csv).split(separator: "\n")
        #expect(lines.count == document.cases.count + 1)
        #expect(lines[0].hasPrefix("id,family,variant,kernel,resolved_kernel,n,"))
        let columns = lines[0].split(separator: ",").count
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
        #expect(lines.contains { $0.hasPrefix("native/into/avx2/n=1000/p=30,native,into,avx2,avx2,1000,30,1,L1,true,5,100,100.0,") })
    }
}

@Suite struct ReportWriterTests {
    @Test func writesTheChartsAndTheReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try ReportWriter.write(ConclusionTests.analysed(Fixture.complete()), to: folder, source: "fixture.json")
        #expect(path == folder + "/REPORT.md")
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder))
                == ["REPORT.md", "ns-per-element.svg", "fraction-of-memcpy.svg", "python-ladder.svg", "python-speedup.svg"])
    }
}

/// The `data-name` attributes of an SVG's elements, in document order (a SAX pass: it also proves
/// the document is well-formed XML).
final class SeriesNames: NSObject, XMLParserDelegate {
    var names: [String] = []

    static func of(_ svg: String) -> [String] {
        let collector = SeriesNames()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        return parser.parse() ? collector.names : ["<not well-formed>"]
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if let name = attributes["data-name"] { names.append(name) }
    }
}
