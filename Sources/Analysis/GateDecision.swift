import BenchModel

/// The regression gate's decision over a comparison, with one exit code per verdict.
public enum Gate {
    public enum Outcome: Int32, Sendable {
        /// No regression (improvements are reported).
        case pass = 0
        /// A regression beyond its threshold and statistically significant.
        case regression = 1
        /// The noise is larger than the threshold for some case, so nothing can be said of it.
        case inconclusive = 3
        /// The runs cannot be compared (debug build, different machines or schemas).
        case unfit = 4
    }

    /// Why `base` and `head` cannot be compared fairly on `metric`; empty when they can. Each
    /// problem names the field that differs, with both values.
    ///
    /// Fitness depends on the metric. Times need the same machine class (CPU model, logical CPUs,
    /// caches — not the host name: CI runners are renamed), warm against warm, samples timed
    /// alike (the same epochs per sample) and buffers on the same pages. Instruction
    /// counts under callgrind do not depend on the CPU model: they need the same code path (every
    /// compared case resolved to the same kernel under valgrind) and the same compilers; the
    /// simulated cache metrics also the same simulated geometry, and warm against warm.
    public static func unfitness(base: ResultsDocument, head: ResultsDocument, metric: ComparisonMetric) -> [String] {
        var problems: [String] = []
        for (name, document) in [("baseline", base), ("head", head)] where document.run.buildConfiguration != "release" {
            problems.append("the \(name) is a \(document.run.buildConfiguration) build")
        }
        for document in [base, head] where !ResultsDocument.readableSchemas.contains(document.schema) {
            problems.append("schema \(document.schema) is not one this build reads")
        }
        let b = base.environment
        let h = head.environment
        func differs<T: Equatable>(_ field: String, _ a: T, _ b: T, _ show: (T) -> String) {
            if a != b { problems.append("\(field) differs (\(show(a)) vs \(show(b)))") }
        }
        switch metric {
        case .time:
            problems += MachineClass(b).differences(from: MachineClass(h))
            if base.run.cold != head.run.cold {
                problems.append("run.cold differs (\(base.run.cold) vs \(head.run.cold)): one run is cold and the other warm")
            }
            // Whole samples include the pauses of the vCPU that the median epoch leaves out: 1–4%
            // more time on the AMD EPYC guest, by the minute.
            differs("run.epochs_per_sample", base.run.epochs, head.run.epochs) { $0 == 1 ? "1, whole samples" : "\($0)" }
            // Beyond the L2 the pages move a row by several percent (docs/measuring.md, Pages); a
            // run from before `--pages` is taken for one on 4 KiB pages, what the `madvise` policy
            // gave it.
            differs("run.pages", base.run.pages ?? .base, head.run.pages ?? .base) { $0.rawValue }
            // Near the L2's capacity a process's first draw of pages reads slower than the mix of
            // its placements (memcpy of n = 100000 on the Intel model 0xCF guest: 32–43 µs per
            // worker on one, 25–33 µs on eight; scripts/placement-spread, 2026-12-06); a run from
            // before `--placements` measured on one.
            differs("run.placements", base.run.placements ?? 1, head.run.placements ?? 1) { "\($0)" }
        case .instructions, .estimatedCycles, .d1Misses, .llMisses:
            differs("swift_compiler", b.swiftCompiler, h.swiftCompiler) { "'\($0)'" }
            differs("c_compiler", b.cCompiler, h.cCompiler) { "'\($0)'" }
            let baseKernels = Dictionary(
                base.cases.compactMap { c in c.instructions.map { (c.id, $0.resolvedKernel) } },
                uniquingKeysWith: { a, _ in a })
            for c in head.cases {
                guard let counted = c.instructions, let other = baseKernels[c.id], other != counted.resolvedKernel else { continue }
                problems.append("\(c.id): instructions.resolved_kernel differs (\(other ?? "none") vs \(counted.resolvedKernel ?? "none"))")
            }
            if metric.isSimulated, let bs = base.cacheSimulation, let hs = head.cacheSimulation {
                differs("cache_simulation.geometry", bs.geometry, hs.geometry) { "I1 \($0.i1), D1 \($0.d1), LL \($0.ll)" }
                differs("cache_simulation.cold", bs.cold, hs.cold) { "\($0)" }
            }
        }
        return problems
    }

    /// The outcome of comparisons (one per metric): any regression fails; otherwise any
    /// inconclusive case is 3.
    public static func outcome(of comparisons: [RunComparison]) -> Outcome {
        if comparisons.contains(where: { !$0.regressions.isEmpty }) { return .regression }
        if comparisons.contains(where: { !$0.inconclusive.isEmpty }) { return .inconclusive }
        return .pass
    }

    public static func outcome(of comparison: RunComparison) -> Outcome { outcome(of: [comparison]) }
}
