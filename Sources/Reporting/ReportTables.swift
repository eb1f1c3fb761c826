import Analysis
import BenchModel
import TextTable

/// Every table of the terminal summary and the markdown report, each defined once; the terminal
/// and the report render the same definitions in their own style. Every figure is read from the
/// document's analysis (nothing is computed here).
public enum ReportTables {
    /// A case's name in tables: `into avx2`, `into auto→avx512`, `batch 31 rows, 2 threads`,
    /// `batch 31 rows, all cores→1 thread` (a parallel batch too small to spread), `memcpy`.
    public static func label(_ c: CaseResult) -> String {
        switch c.kind {
        case .native(let variant, let kernel)?:
            let resolved = kernel == .auto ? "→\(c.resolvedKernel ?? "?")" : ""
            return "\(variant.rawValue) \(kernel.rawValue)\(resolved)"
        case .batch(let variant)?:
            let asked = variant == .allCores && c.threads == 1 ? "all cores→" : ""
            return "batch \(c.periods?.count ?? 0) rows, \(asked)\(c.threads) thread\(c.threads == 1 ? "" : "s")"
        default:
            return c.variant
        }
    }

    /// `value` with its interval's half-width relative to it: `±3.1%`.
    static func relativeHalfWidth(_ estimate: IntervalEstimate?) -> String {
        estimate.map { "±" + Format.percent($0.relativeHalfWidth) } ?? "—"
    }

    /// The cases of one size: the time (ns: the fast-level estimate, else the blocked one) and the
    /// normalized estimate (probe units), each with its interval, which estimate heads the case,
    /// rates from that time, and the within-round ratios.
    public static func cases(_ document: ResultsDocument, n: Int) -> Table {
        var table = Table(columns: [
            .init("case"), .init("time", .right), .init("95% CI", .right), .init("per probe", .right), .init("95% CI", .right),
            .init("headline"), .init("ns/elem", .right), .init("GB/s", .right), .init("×memcpy", .right),
            .init("speed-up", .right), .init("faults/call", .right), .init("ok")
        ])
        let analysis = document.analysis
        for c in document.cases where c.n == n && !isPython(c) {
            let e = c.estimates
            let time = timeNs(c)
            let speedup = analysis?.ratio(.speedupOverScalar, of: c.id) ?? analysis?.ratio(.allCoresSpeedup, of: c.id)
            table.rows.append([
                label(c), time.map(Format.duration) ?? "—", relativeHalfWidth(e?.fastLevel ?? e?.blocked),
                e?.normalized.map { Format.number($0.value, digits: 4) } ?? "—", relativeHalfWidth(e?.normalized),
                e.map { $0.headline.rawValue } ?? "—",
                time.map { Format.number($0 / Double(max(c.n, 1)), digits: 3) } ?? "—",
                time.flatMap { c.bytesPerCall > 0 ? Format.number(Double(c.bytesPerCall) / $0, digits: 1) : nil } ?? "",
                analysis?.ratio(.fractionOfMemcpy, of: c.id).map { Format.number($0.headline.value, digits: 2) } ?? "",
                speedup.map { Format.number($0.headline.value, digits: 2) + "×" } ?? "",
                Format.number(c.rusagePerCall.minorFaults, digits: 2),
                c.verified ? "yes" : "FAIL"
            ])
        }
        return table
    }

    /// What the columns of `cases` are, in one paragraph, with the headline rule of `document`'s
    /// machine class.
    public static func casesLegend(_ document: ResultsDocument) -> String {
        let byCost =
            "normalized where the case takes at least 2× memcpy's time per byte, so it is limited by the core as the probe is; "
            + "fast_level elsewhere"
        let headline: String
        switch HeadlinePolicy.machineClass(document.environment.cpuIdentity) {
        case let (name, .normalizedForEveryCase)?:
            headline =
                "normalized for every native case on this machine class (\(name)), whose host moves every case with the probe "
                + "at its fast level (samples at a slower level are left out)"
        case let (name, .fastLevelForEveryCase)?:
            headline =
                "fast_level for every native case on this machine class (\(name)), whose host's slower level slows the cases "
                + "by other factors than the probe"
        case nil:
            headline = byCost
        }
        return "time: the fast-level estimate (median polish of the size's cases × rounds over the samples whose speed probe "
            + "ran at the host's fast level; over every sample in a run without probes), ns per call; per probe: the normalized "
            + "estimate, the case's time over the speed probe's in the same round; 95% CI: each interval's half-width (Student t "
            + "over the measuring processes); headline: the estimate that heads the case (\(headline)); ×memcpy and speed-up: "
            + "ratios taken within rounds (same round, same process), medians over rounds — over the rounds at the host's fast "
            + "level where the run had one, as the times; GB/s counts 16 B per element for JSA, "
            + "16 for memcpy and 24 for STREAM add."
    }

    /// The ratios and differences that say what the Swift API and allocation add to a call.
    public static func callPath(_ document: ResultsDocument) -> Table? {
        guard let analysis = document.analysis else { return nil }
        var table = Table(columns: [
            .init("n", .right), .init("kernel"), .init("into / bare C", .right), .init("95% CI", .right),
            .init("Swift API adds", .right), .init("jsa − into − malloc/free", .right), .init("95% CI", .right),
            .init("jsa − into − [Double]", .right), .init("95% CI", .right)
        ])
        for c in document.cases {
            guard case .native(.into, let kernel)? = c.kind, let ratio = analysis.ratio(.intoOverBareC, of: c.id) else { continue }
            let alloc = document.cases.first { $0.n == c.n && $0.kind == .native(.alloc, kernel) }
            let excesses = [DifferenceEstimate.Kind.allocationExcess, .arrayExcess].map { kind in
                alloc.flatMap { analysis.difference(kind, of: $0.id)?.estimate }
            }
            table.rows.append(
                [
                    "\(c.n)", kernel.rawValue, Format.number(ratio.headline.value, digits: 3),
                    "\(Format.number(ratio.headline.ci95Low, digits: 3))–\(Format.number(ratio.headline.ci95High, digits: 3))",
                    analysis.difference(.swiftOverhead, of: c.id).map { Format.duration($0.estimate.value) } ?? "—"
                ]
                    + excesses.flatMap { excess in
                        [
                            excess.map { Format.duration($0.value) } ?? "—",
                            excess.map { "\(Format.duration($0.ci95Low)) – \(Format.duration($0.ci95High))" } ?? "—"
                        ]
                    })
        }
        return table.rows.isEmpty ? nil : table
    }

    /// What `auto` ran at each size against the fastest explicit kernel of the same run
    /// (direct-write; the ratio within rounds).
    public static func autoChoice(_ document: ResultsDocument) -> Table? {
        guard let analysis = document.analysis else { return nil }
        var table = Table(columns: [
            .init("n", .right), .init("level"), .init("auto runs"), .init("fastest explicit"),
            .init("auto / fastest", .right), .init("95% CI", .right)
        ])
        for c in document.cases where c.kind == .native(.into, .auto) {
            guard let ratio = analysis.ratio(.autoOverBest, of: c.id),
                let fastest = document.cases.first(where: { $0.id == ratio.reference })?.kind?.kernel
            else { continue }
            table.rows.append([
                "\(c.n)", c.level, c.resolvedKernel ?? "?", fastest.rawValue, Format.number(ratio.headline.value, digits: 3),
                "\(Format.number(ratio.headline.ci95Low, digits: 3))–\(Format.number(ratio.headline.ci95High, digits: 3))"
            ])
        }
        return table.rows.isEmpty ? nil : table
    }

    /// Allocating against direct-write, per size and kernel.
    public static func allocation(_ document: ResultsDocument) -> Table? {
        var table = Table(columns: [
            .init("n", .right), .init("kernel"), .init("jsa", .right), .init("jsaInto", .right),
            .init("jsa / jsaInto", .right), .init("95% CI", .right), .init("page faults/call", .right)
        ])
        for c in document.cases {
            guard case .native(.alloc, let kernel)? = c.kind, let ratio = document.analysis?.ratio(.allocOverInto, of: c.id),
                let into = document.cases.first(where: { $0.n == c.n && $0.kind == .native(.into, kernel) })
            else { continue }
            table.rows.append([
                "\(c.n)", kernel.rawValue, timeNs(c).map(Format.duration) ?? "—", timeNs(into).map(Format.duration) ?? "—",
                Format.number(ratio.headline.value, digits: 2),
                "\(Format.number(ratio.headline.ci95Low, digits: 2))–\(Format.number(ratio.headline.ci95High, digits: 2))",
                Format.number(c.rusagePerCall.minorFaults, digits: 1)
            ])
        }
        return table.rows.isEmpty ? nil : table
    }

    /// Per-case counter metrics ("~" marks multiplexed estimates).
    public static func counters(_ document: ResultsDocument) -> Table? {
        var table = Table(columns: [
            .init("case"), .init("n", .right), .init("cycles/elem", .right), .init("instr/elem", .right),
            .init("IPC", .right), .init("GHz", .right), .init("L1 miss/elem", .right),
            .init("L3 miss/KiB", .right), .init("FP mix s/128/256/512", .right)
        ])
        for c in document.cases {
            guard let d = c.counters?.derived else { continue }
            let mark = d.restsOnMultiplexedCounts ? "~" : ""
            func cell(_ value: Double?, _ digits: Int) -> String { value.map { mark + Format.number($0, digits: digits) } ?? "—" }
            let mix =
                d.vectorMix.map { m in ["scalar", "128", "256", "512"].map { Format.percent(m[$0] ?? 0) }.joined(separator: "/") } ?? "—"
            table.rows.append([
                label(c), "\(c.n)", cell(d.cyclesPerElement, 3), cell(d.instructionsPerElement, 3), cell(d.ipc, 2),
                cell(d.effectiveGHz, 2), cell(d.l1MissesPerElement, 4), cell(d.l3MissesPerKiB, 2), mix
            ])
        }
        return table.rows.isEmpty ? nil : table
    }

    /// Instructions per call under callgrind.
    public static func instructions(_ document: ResultsDocument) -> Table? {
        var table = Table(columns: [
            .init("case"), .init("n", .right), .init("instr/call", .right), .init("instr/elem", .right),
            .init("note")
        ])
        for c in document.cases {
            guard let i = c.instructions else { continue }
            table.rows.append([
                label(c), "\(c.n)", i.perCall.map { Format.number($0, digits: 0) } ?? "—",
                i.perElement.map { Format.number($0, digits: 3) } ?? "—",
                i.unavailableReason ?? "ran \(i.resolvedKernel ?? c.variant)"
            ])
        }
        return table.rows.isEmpty ? nil : table
    }

    /// The cache simulation's counts per native case (`--counters cachesim`), beside each case's
    /// measured time. An AVX-512 case, which valgrind cannot run, shows its AVX2 twin's simulated
    /// counts (same variant and n), marked so, next to its own measured time.
    public static func simulated(_ document: ResultsDocument) -> Table? {
        guard document.cacheSimulation != nil else { return nil }
        var table = Table(columns: [
            .init("case"), .init("n", .right), .init("measured ns/elem", .right), .init("simulated", .left),
            .init("instr/elem", .right), .init("D1 miss/elem", .right), .init("LL miss/elem", .right),
            .init("B from mem/elem", .right), .init("est. cycles/elem", .right), .init("branch miss", .right),
            .init("FP instr s/128/256/512 per call", .right), .init("width check", .left)
        ])
        for c in document.cases {
            guard var shown = c.simulated else { continue }
            var ran = shown.resolvedKernel ?? "—"
            if shown.unavailableReason != nil {
                guard case .native(let variant, .avx512)? = c.kind,
                    let twin = document.cases.first(where: { $0.n == c.n && $0.kind == .native(variant, .avx2) })?.simulated,
                    twin.unavailableReason == nil
                else {
                    table.rows.append(
                        [label(c), "\(c.n)", measured(c), "not simulated: \(shown.unavailableReason ?? "")"]
                            + Array(repeating: "—", count: 8))
                    continue
                }
                shown = twin
                ran = "avx2 in place of avx512"
            }
            func cell(_ value: Double?, _ digits: Int) -> String { value.map { Format.number($0, digits: digits) } ?? "—" }
            let mix =
                shown.fpMix.map { m in
                    [m.scalar, m.packed128, m.packed256, m.packed512].map { Format.number($0, digits: 0) }.joined(separator: "/")
                } ?? "—"
            table.rows.append([
                label(c), "\(c.n)", measured(c), ran, cell(shown.instructionsPerElement, 3), cell(shown.d1MissesPerElement, 4),
                cell(shown.llMissesPerElement, 4), cell(shown.bytesFromMemoryPerElement, 2),
                cell(shown.estimatedCyclesPerCall.map { $0 / Double(max(c.n, 1)) }, 3),
                shown.branchMispredictionRate.map { Format.percent($0) } ?? "—", mix,
                shown.fpMix?.total == 0 ? "no FP" : shown.vectorWidthMismatch.map { "MISMATCH: \($0)" } ?? "ok"
            ])
        }
        return table.rows.isEmpty ? nil : table
    }

    /// The vector-width check from the simulated FP instruction mix: every simulated case's
    /// widths against its kernel, in one sentence.
    public static func vectorWidthLine(_ document: ResultsDocument) -> String? {
        let checked = document.cases.compactMap { c in c.simulated.flatMap { $0.fpMix?.total ?? 0 > 0 ? (c, $0) : nil } }
        guard !checked.isEmpty else { return nil }
        let mismatches = checked.compactMap { c, s in s.vectorWidthMismatch.map { "`\(c.id)`: \($0)" } }
        let widths = Dictionary(grouping: checked, by: { $0.1.resolvedKernel ?? "?" }).sorted { $0.key < $1.key }.compactMap {
            kernel, cases in
            cases.compactMap { $0.1.fpMix?.doublesPerInstruction }.min().map { "\(kernel) \(Format.number($0, digits: 2))" }
        }
        let summary =
            "Vector width from the simulated instruction mix (FP arithmetic on doubles executed by each case, classified by "
            + "the disassembly): doubles per FP instruction, least over the cases — \(widths.joined(separator: ", ")). "
        return summary
            + (mismatches.isEmpty
                ? "Every one of the \(checked.count) cases ran the widths its kernel names."
                : "**Mismatch:** " + mismatches.joined(separator: "; ") + ".")
    }

    /// A case's time per call in ns, as the tables show it: the fast-level estimate, else the blocked one, or the median
    /// of a case with one round.
    static func timeNs(_ c: CaseResult) -> Double? {
        c.estimates?.fastLevel?.value ?? c.estimates?.blocked?.value ?? c.stats?.medianNs
    }

    /// A case's measured time per element (`timeNs`), or "—".
    static func measured(_ c: CaseResult) -> String {
        timeNs(c).map { Format.number($0 / Double(max(c.n, 1)), digits: 3) } ?? "—"
    }

    /// What the simulation was: tool, geometry and where it came from, warm or cold, the
    /// estimated-cycles formula.
    public static func simulationLine(_ document: ResultsDocument) -> String? {
        guard let s = document.cacheSimulation else { return nil }
        let g = s.geometry
        return "Simulated, not measured: \(s.tool) with cache and branch simulation, \(s.callsPerCase) calls per case "
            + "(1 above \(s.singleCallAboveElements) elements), \(s.cold ? "caches evicted before each call (cold)" : "warmed by one uncounted call"). "
            + "Caches (\(s.geometrySource == "host" ? "valgrind's reading of this CPU" : "set with --simulated-cache")): "
            + "I1 \(g.i1); D1 \(g.d1); LL \(g.ll) — valgrind simulates no L2, and non-temporal stores as ordinary ones. "
            + "Estimated cycles = \(s.estimatedCyclesFormula), a model that ignores overlap and prefetching."
    }

    /// The Python ladder per size: the medians' differences, and the within-round estimates with
    /// their intervals where the analysis has them (`ResultsDocument.pythonCallOverheadOut`).
    public static func python(_ document: ResultsDocument) -> Table? {
        guard let python = document.python, python.unavailableReason == nil, !python.sizes.isEmpty else { return nil }
        var table = Table(columns: [
            .init("n", .right), .init("native", .right), .init("jsa(out=o)", .right), .init("loop", .right),
            .init("overhead", .right), .init("95% CI", .right), .init("of call", .right), .init("call+parse", .right),
            .init("buffers", .right), .init("numpy.empty", .right), .init("faults/call", .right), .init("×NumPy", .right),
            .init("jsa_copy→jsa", .right), .init("jsa→jsa(out=)", .right)
        ])
        for s in python.sizes {
            let overhead = document.pythonCallOverheadOut(s)
            table.rows.append([
                "\(s.n)", Format.duration(s.nativeIntoNs), Format.duration(s.nativeIntoNs + s.overheadOutNs),
                Format.duration(s.emptyLoopNs), Format.duration(overhead.ns),
                overhead.estimate.map { "\(Format.duration($0.ci95Low)) – \(Format.duration($0.ci95High))" } ?? "—",
                Format.percent(overhead.share), Format.duration(s.callAndParsingNs), Format.duration(s.bufferAcquisitionNs),
                Format.duration(s.outputAllocationNs), Format.number(s.pageFaultsPerCall, digits: 1),
                Format.number(s.speedupOverNumpy, digits: 2) + "×", Format.number(s.copyToDirectSavingPercent, digits: 1) + "%",
                Format.number(s.allocToOutSavingPercent, digits: 1) + "%"
            ])
        }
        return table
    }

    /// From which size the binding's overhead is under 5% of the call, as a sentence without its
    /// full stop: "The overhead is under 5% of the call from n = 65536" — followed, where the run has
    /// intervals, by where the overhead's 95% interval lies under 5% too (", its 95% interval from
    /// n = 262144", ", its 95% interval too", or ", though its 95% interval reaches 5% up to the
    /// largest size measured": a point estimate in the middle can be noise) — or, where the largest size
    /// measured does not reach it, "The overhead is still 5% of the call or more at the largest size
    /// measured, n = 32768" — followed, where that size's interval reaches below 5% of the call, by
    /// ", though its 95% interval (−26.8 µs – 52.8 µs) reaches below 5% (9.47 µs)": the point
    /// estimate alone does not settle it. `strong` sets the size in bold (markdown).
    public static func overheadThreshold(_ document: ResultsDocument, strong: Bool = false) -> String {
        if let n = document.pythonOverheadUnder5PercentFrom {
            let sentence = "The overhead is under 5% of the call from n = " + (strong ? "**\(n)**" : "\(n)")
            switch document.pythonOverheadIntervalUnder5Percent {
            case .noIntervals: return sentence
            case .from(let surely) where surely == n: return sentence + ", its 95% interval too"
            case .from(let surely): return sentence + ", its 95% interval from n = \(surely)"
            case .notReached: return sentence + ", though its 95% interval reaches 5% up to the largest size measured"
            }
        }
        guard let largest = document.python?.sizes.max(by: { $0.n < $1.n }) else { return "No size was measured" }
        let sentence = "The overhead is still 5% of the call or more at the largest size measured, n = \(largest.n)"
        // An overhead of o is under 5% of the call (native + o) where o < native / 19.
        let fivePercent = largest.nativeIntoNs / 19
        guard let interval = document.pythonCallOverheadOut(largest).estimate, interval.ci95Low < fivePercent else { return sentence }
        return sentence
            + ", though its 95% interval (\(Format.duration(interval.ci95Low)) – \(Format.duration(interval.ci95High))) reaches "
            + "below 5% (\(Format.duration(fivePercent)))"
    }

    /// What the columns of `python` are.
    public static let pythonLegend =
        "jsa(out=o) is that rung's time per iteration of its Python `for` loop and loop the empty "
        + "loop's; overhead is `jsa(x, p, out=o)` minus the loop minus native, taken within rounds (the 95% CI is "
        + "Student t over the helper processes the rounds were spread over; with one helper, the bootstrap over blocks "
        + "of rounds) — what the call costs over the kernel called from C — and of call its share of "
        + "the call; call+parse is `noop` minus the empty loop; buffers is `acquire(out=o)` minus `noop`; numpy.empty is the "
        + "allocation of n doubles minus the empty loop (differences of medians). The last two columns are the reference "
        + "summary's \"initial versus optimized\": how much less `jsa` costs than the copy-out binding, and how much less "
        + "`jsa(out=o)` costs than `jsa`."

    /// Each budget's verdict and the figures behind it.
    public static func budgets(_ verdicts: [BudgetVerdict]) -> Table {
        Table(
            columns: [.init("verdict"), .init("budget"), .init("measured (95% CI)")],
            rows: verdicts.map { v in
                let unit = v.budget.metric.unit
                let figures = v.figures.map { f in
                    "\(f.id.split(separator: "/").prefix(4).joined(separator: "/")): \(Format.number(f.estimate.value, digits: 3)) \(unit) "
                        + "(\(Format.number(f.estimate.ci95Low, digits: 3))–\(Format.number(f.estimate.ci95High, digits: 3)))"
                }
                return [
                    v.verdict.rawValue,
                    "\(v.budget.name) [\(v.budget.metric.rawValue) \(v.budget.direction.rawValue) "
                        + "\(Format.number(v.budget.bound, digits: 3))]",
                    figures.isEmpty ? "no case of this run" : figures.joined(separator: "; ")
                ]
            })
    }

    /// The machine and build a run measured on (the report's Trust section and `jsa-bench env`).
    public static func environment(_ e: Environment, clock: ClockProfile? = nil) -> Table {
        var rows: [[String]] = [
            ["CPU", e.cpuSummary],
            [
                "caches",
                "L1d \(e.caches.l1dBytes.map(Format.bytes) ?? "?"), L2 \(e.caches.l2Bytes.map(Format.bytes) ?? "?"), "
                    + "L3 \(e.caches.l3Bytes.map(Format.bytes) ?? "?")"
            ],
            [
                "frequency",
                "governor \(e.governor ?? "none readable"), \(e.frequencyMHz.map { Format.number($0, digits: 0) + " MHz" } ?? "unknown")"
            ],
            [
                "system",
                "\(e.os), \(e.kernel), \(e.virtualMachine ? "virtual machine" : "no hypervisor flag")"
                    + (e.transparentHugePages.map { ", transparent huge pages \($0)" } ?? "")
            ],
            ["build", "\(e.buildConfiguration); \(e.swiftCompiler); C: \(e.cCompiler)"],
            ["load at start", e.loadAverage.map { Format.number($0, digits: 2) }.joined(separator: " / ")],
            ["Python", "\(e.pythonVersion ?? "not found"), NumPy \(e.numpyVersion ?? "not found")"]
        ]
        if let clock {
            rows.append([
                "clock",
                "resolution \(Format.number(clock.resolutionNs, digits: 0)) ns, read \(Format.number(clock.readOverheadNs, digits: 1)) ns"
            ])
        }
        return Table(columns: [.init(""), .init("")], rows: rows)
    }

    /// One line on the run's speed index.
    public static func speedIndexLine(_ document: ResultsDocument) -> String? {
        guard let s = document.analysis?.speedIndex else { return nil }
        var line =
            "Speed index (the speed probe's time per round) over \(s.rounds) rounds: median \(Format.duration(s.medianNs)), "
            + "5–95% \(Format.duration(s.p5Ns)) – \(Format.duration(s.p95Ns))"
        if s.bimodal, s.levels.count == 2 {
            line +=
                "; TWO LEVELS: \(Format.percent(s.levels[0].share)) of rounds at \(Format.duration(s.levels[0].probeNs)), "
                + "\(Format.percent(s.levels[1].share)) at \(Format.duration(s.levels[1].probeNs)) "
                + "(\(Format.number(s.levels[1].probeNs / s.levels[0].probeNs, digits: 2))× apart): the host switched speed during the run"
        } else {
            line += "; one level (no switch of the host's speed detected)"
        }
        if let share = s.shareAtFastLevel, share < 1 {
            line += "; \(Format.percent(share)) of samples ran at the fast level, and the fast-level estimates leave the rest out"
        }
        if let ratio = document.run.fastLevelWaitBudget {
            let waitedNs = document.cases.compactMap(\.waitedNs).reduce(0, +)
            line +=
                "; before the samples the sampler waited \(Format.duration(waitedNs)) in all for the fast level "
                + "(--wait-for-fast-level \(Format.number(ratio, digits: 1)): at most \(Format.number(ratio, digits: 1))× the time spent sampling)"
        }
        return line + "."
    }

    /// One line on what pauses within samples cost, where samples were timed in epochs.
    public static func pausesLine(_ document: ResultsDocument) -> String? {
        guard let p = document.analysis?.pauses else { return nil }
        return "Pauses: each sample is the median of up to \(document.run.epochs) epochs of its calls; the whole sample took "
            + "\(Format.percent(p.medianShare)) longer than that in the median sample "
            + "(\(Format.percent(p.p90Share)) at the 90th percentile, \(p.samples) samples): time the vCPU was taken away "
            + "in a minority of a sample's epochs, which the estimates leave out."
    }

    /// What the headline intervals cover: this run alone, or a re-run (`RunLevelSpread`); nil for
    /// a run without estimates.
    public static func runLevelLine(_ document: ResultsDocument) -> String? {
        guard document.cases.contains(where: { $0.estimates != nil }) else { return nil }
        guard let level = document.run.runLevel else {
            return "Intervals hold this run's own noise: on a shared host whole runs also move together, which no run "
                + "sees in its samples; `jsa-bench reproduce` measures that run level, and `--run-level` adds it as re-run intervals."
        }
        let reruns = document.cases.compactMap { $0.estimates?.rerun?.relativeHalfWidth }
        return "Re-run intervals: each headline interval with the host's run level added "
            + "(SD \(Format.number(100 * level.sd, digits: 2))% over \(level.runs) runs of `reproduce`, \(level.measuredAt)\(level.source.map { ", " + $0 } ?? "")"
            + "\(RunLevel.caseSpreadSummary(level).map { "; each case its own there: " + $0 } ?? "")); "
            + "\(reruns.filter { $0 <= 0.05 }.count) of \(reruns.count) within ±5%."
    }

    static func isPython(_ c: CaseResult) -> Bool {
        if case .python? = c.kind { return true }
        return false
    }
}
