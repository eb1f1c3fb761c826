import Foundation
import Measurement
import Results
import TextTable

/// The table printed on stdout at the end of a sweep: per size, every case's median and spread,
/// rates and comparisons; then the goals and the diagnostics. Derived from the document alone.
public enum TerminalSummary {
    public static func render(_ document: ResultsDocument) -> String {
        var lines: [String] = []
        let sizes = Array(Set(document.cases.map(\.n))).sorted()
        let header = ["case", "median", "CI95 ±", "ns/elem", "GB/s", "×memcpy", "×STREAM", "vs scalar", "CV", "faults/call", "ok"]
        for n in sizes {
            let cases = document.cases.filter { $0.n == n }
            let level = document.environment.caches.level(ofWorkingSet: 16 * n).rawValue
            lines.append("n = \(n) (\(level): native working set \(Format.bytes(16 * n)))")
            let rows = cases.map { c -> [String] in
                let s = c.stats
                let halfWidth = s.map { ($0.ci95HighNs - $0.ci95LowNs) / 2 }
                return [
                    label(c), s.map { Format.duration($0.medianNs) } ?? "—", halfWidth.map(Format.duration) ?? "—",
                    c.perElementNs.map { Format.number($0, digits: 3) } ?? "—", c.gbps.map { Format.number($0, digits: 1) } ?? "—",
                    c.derived.fractionOfMemcpy.map { Format.number($0, digits: 2) } ?? "",
                    c.derived.fractionOfStreamAdd.map { Format.number($0, digits: 2) } ?? "",
                    (c.derived.speedupOverScalar ?? c.derived.speedupOverSingleThread).map { Format.number($0, digits: 2) + "x" } ?? "",
                    s.map { Format.percent($0.cv) } ?? "—",
                    Format.number(c.rusagePerCall.minorFaults, digits: 2),
                    c.verified ? "yes" : "FAIL",
                ]
            }
            let alignments = [TextTable.Alignment.left] + Array(repeating: .right, count: header.count - 1)
            lines += TextTable(header: header, rows: rows, alignments: alignments).lines().map { "  " + $0 }
            lines.append("")
        }
        if let report = document.counters {
            lines.append(report.summaryLine)
            lines += counterTable(document.cases)
            for c in document.cases {
                if let mismatch = c.vectorIdentityMismatch { lines.append("  VECTOR WIDTH MISMATCH \(c.id): \(mismatch)") }
            }
            lines.append("")
        }
        if let python = document.python {
            lines += pythonSection(python)
            lines.append("")
        }
        let counted = document.cases.filter { $0.instructions != nil }
        if !counted.isEmpty {
            lines.append("Instructions per call under callgrind (deterministic; valgrind hides AVX-512):")
            let rows = counted.map { c -> [String] in
                let i = c.instructions!
                return [label(c), "\(c.n)", i.perCall.map { Format.number($0, digits: 0) } ?? "—",
                        i.perElement.map { Format.number($0, digits: 3) } ?? "—",
                        i.unavailableReason.map { _ in "not measurable" } ?? "ran \(i.resolvedKernel ?? "?")"]
            }
            lines += TextTable(header: ["case", "n", "instr/call", "instr/elem", ""], rows: rows,
                               alignments: [.left, .right, .right, .right, .left]).lines().map { "  " + $0 }
            lines.append("")
        }
        lines.append("Goals (this machine class; derived from the numbers above):")
        for goal in Goals.evaluate(document) {
            lines.append("  [\(goal.verdict.rawValue)] \(goal.name): \(goal.measured)")
        }
        let notable = document.diagnostics.filter { $0.severity != .info }
        if !notable.isEmpty {
            lines.append("")
            lines.append("Diagnostics:")
            lines += notable.map { "  \($0.severity.rawValue): \($0.message)" }
        }
        lines.append("")
        lines.append("Clock: resolution \(Format.number(document.clock.resolutionNs, digits: 0)) ns, "
            + "read overhead \(Format.number(document.clock.readOverheadNs, digits: 1)) ns. "
            + "Times are medians of per-call wall time; CI95 is a bootstrap interval of the median; "
            + "GB/s counts 16 B/element for JSA (see byte_model in the JSON).")
        if !document.complete {
            lines.append("INCOMPLETE: the sweep was interrupted; the cases above are the ones measured.")
        }
        return lines.joined(separator: "\n")
    }

    /// The Python ladder's differences per size, or why there are none.
    static func pythonSection(_ python: PythonReport) -> [String] {
        if let reason = python.unavailableReason {
            return ["Python: not measured — \(reason)"]
        }
        var lines = ["Python \(python.python ?? "?") + NumPy \(python.numpy ?? "?") (\(python.executable ?? "?")): "
            + "overhead of jsa_native over the kernel called from C in the same process, medians per call; "
            + "jsa(out=) is per iteration of a Python loop, whose own iteration (loop) the overhead leaves out"]
        let header = ["n", "native", "jsa(out=)", "loop", "overhead", "%", "call+parse", "buffers", "alloc", "faults",
                      "×NumPy", "copy→direct", "alloc→out"]
        let rows = python.sizes.map { s -> [String] in
            [
                "\(s.n)", Format.duration(s.nativeIntoNs), Format.duration(s.nativeIntoNs + s.overheadOutNs),
                Format.duration(s.emptyLoopNs), Format.duration(s.callOverheadOutNs), Format.percent(s.callOverheadOutFraction), Format.duration(s.callAndParsingNs),
                Format.duration(s.bufferAcquisitionNs), Format.duration(s.outputAllocationNs),
                Format.number(s.pageFaultsPerCall, digits: 1), Format.number(s.speedupOverNumpy, digits: 2) + "x",
                Format.number(s.copyToDirectSavingPercent, digits: 1) + "%", Format.number(s.allocToOutSavingPercent, digits: 1) + "%",
            ]
        }
        lines += TextTable(header: header, rows: rows, alignments: Array(repeating: .right, count: header.count))
            .lines().map { "  " + $0 }
        lines.append("  Overhead under 5% of the call from n = "
            + (python.callOverheadUnder5PercentFrom.map(String.init) ?? "— (not reached at the measured sizes)")
            + ". copy→direct: jsa_copy vs jsa; alloc→out: jsa vs jsa(out=o) (the reference summary's "
            + "'initial versus optimized').")
        return lines
    }

    /// Per-case counter metrics, for the cases that have counts ("~" marks multiplexed estimates).
    static func counterTable(_ cases: [CaseResult]) -> [String] {
        let counted = cases.filter { $0.counters != nil }
        guard !counted.isEmpty else { return [] }
        let header = ["case", "n", "cycles/elem", "instr/elem", "IPC", "GHz", "L1 miss/elem", "L3 miss/KiB", "FP mix s/128/256/512"]
        let rows = counted.map { c -> [String] in
            let d = c.counters!.derived
            let mark = d.restsOnMultiplexedCounts ? "~" : ""
            func cell(_ value: Double?, _ digits: Int) -> String { value.map { mark + Format.number($0, digits: digits) } ?? "—" }
            let mix = d.vectorMix.map { m in ["scalar", "128", "256", "512"].map { Format.percent(m[$0] ?? 0) }.joined(separator: "/") } ?? "—"
            return [label(c), "\(c.n)", cell(d.cyclesPerElement, 3), cell(d.instructionsPerElement, 3), cell(d.ipc, 2),
                    cell(d.effectiveGHz, 2), cell(d.l1MissesPerElement, 4), cell(d.l3MissesPerKiB, 2), mix]
        }
        let alignments = [TextTable.Alignment.left] + Array(repeating: .right, count: header.count - 1)
        return TextTable(header: header, rows: rows, alignments: alignments).lines().map { "  " + $0 }
    }

    static func label(_ c: CaseResult) -> String {
        switch c.family {
        case "native":
            let resolved = c.kernel == "auto" ? "→\(c.resolvedKernel ?? "?")" : ""
            return "\(c.variant) \(c.kernel ?? "")\(resolved)"
        case "batch":
            return "batch \(c.periods?.count ?? 0) rows, \(c.threads) thread\(c.threads == 1 ? "" : "s")"
        default:
            return c.variant
        }
    }
}
