import Foundation
import Measurement
import Results
import Statistics

/// Conclusions drawn from the numbers by fixed rules, each sentence citing the figures it rests on.
/// A rule whose cases are absent says nothing rather than guessing.
enum Conclusions {
    /// A direct-write kernel within this factor of memcpy's time runs at the copy roofline.
    static let rooflineFactor = 1.1

    static func intoCase(_ document: ResultsDocument, kernel: String, n: Int) -> CaseResult? {
        document.cases.first { $0.family == "native" && $0.variant == "into" && $0.kernel == kernel && $0.n == n && $0.stats != nil }
    }

    /// One representative size per cache level: the smallest measured size living there.
    static func sizesByLevel(_ document: ResultsDocument) -> [(level: String, n: Int)] {
        let sizes = Set(document.cases.filter { $0.family == "native" }.map(\.n)).sorted()
        var seen = Set<String>()
        return sizes.compactMap { n in
            let level = document.environment.caches.level(ofWorkingSet: 16 * n).rawValue
            return seen.insert(level).inserted ? (level, n) : nil
        }
    }

    /// The fastest SIMD direct-write kernel at n (not scalar, not auto).
    static func bestSIMD(_ document: ResultsDocument, n: Int) -> CaseResult? {
        ["avx2", "avx512"].compactMap { intoCase(document, kernel: $0, n: n) }.min { $0.stats!.medianNs < $1.stats!.medianNs }
    }

    /// Short lines for the overview.
    static func headlines(_ document: ResultsDocument) -> [String] {
        var lines: [String] = []
        if let (level, n) = sizesByLevel(document).first, let scalar = intoCase(document, kernel: "scalar", n: n) {
            let simd = ["avx2", "avx512"].compactMap { kernel in
                intoCase(document, kernel: kernel, n: n).map { "\(kernel) \(Format.number(scalar.stats!.medianNs / $0.stats!.medianNs, digits: 2))×" }
            }
            if !simd.isEmpty {
                lines.append("**SIMD at \(level) (n = \(n)):** \(simd.joined(separator: ", ")) scalar, direct-write through the Swift API.")
            }
        }
        if let (level, n) = sizesByLevel(document).first(where: { $0.level == "L2" }),
           let auto = intoCase(document, kernel: "auto", n: n), let memcpy = auto.derived.fractionOfMemcpy {
            lines.append("**Roofline at \(level) (n = \(n)):** direct-write `auto` takes \(Format.number(memcpy, digits: 2))× memcpy's time"
                + (auto.derived.fractionOfStreamAdd.map { " and \(Format.number($0, digits: 2))× STREAM add's" } ?? "") + ".")
        }
        if let python = document.python, let smallest = python.sizes.min(by: { $0.n < $1.n }) {
            lines.append("**Python:** `jsa(x, p, out=o)` costs \(Format.duration(smallest.callOverheadOutNs)) over the native call at "
                + "n = \(smallest.n) (the Python loop's own \(Format.duration(smallest.emptyLoopNs)) aside); the overhead is "
                + "under 5% from n = \(python.callOverheadUnder5PercentFrom.map(String.init) ?? "— (not reached)").")
        }
        return lines
    }

    static func section(_ document: ResultsDocument) -> String {
        var lines = ["## Conclusions", ""]
        lines += levels(document).map { "- \($0)" }
        lines += widths(document).map { "- \($0)" }
        if let allocation = allocation(document) { lines.append("- \(allocation)") }
        if let aliasing = aliasing(document) { lines.append("- \(aliasing)") }
        lines.append("- \(python(document))")
        lines.append("")
        lines.append("Goals of this machine class, as this run measured them:")
        lines.append("")
        for goal in Goals.evaluate(document) {
            lines.append("- **\(goal.verdict.rawValue)** — \(goal.name): \(goal.measured)")
        }
        return lines.joined(separator: "\n")
    }

    /// Where the kernel is bandwidth-bound, and what SIMD buys at each level.
    static func levels(_ document: ResultsDocument) -> [String] {
        sizesByLevel(document).compactMap { level, n in
            guard let scalar = intoCase(document, kernel: "scalar", n: n), let best = bestSIMD(document, n: n),
                  let fraction = best.derived.fractionOfMemcpy else { return nil }
            let speedup = scalar.stats!.medianNs / best.stats!.medianNs
            let bound = fraction <= rooflineFactor
                ? "runs at the copy roofline (bandwidth-bound), so SIMD can add little more"
                : "is slower than a copy of the same bytes, so the limit is in the core, not in memory"
            return "At \(level) (n = \(n)) the fastest SIMD kernel, \(best.kernel!), is \(Format.number(speedup, digits: 2))× scalar "
                + "and takes \(Format.number(fraction, digits: 2))× memcpy's time: it \(bound)."
        }
    }

    /// AVX-512 against AVX2, level by level.
    static func widths(_ document: ResultsDocument) -> [String] {
        let comparisons = sizesByLevel(document).compactMap { level, n -> String? in
            guard let avx2 = intoCase(document, kernel: "avx2", n: n), let avx512 = intoCase(document, kernel: "avx512", n: n)
            else { return nil }
            let ratio = avx512.stats!.medianNs / avx2.stats!.medianNs
            let word = ratio < 0.97 ? "\(Format.number(100 * (1 - ratio), digits: 1))% faster" :
                ratio > 1.03 ? "\(Format.number(100 * (ratio - 1), digits: 1))% slower" : "within 3%"
            return "\(word) at \(level) (n = \(n))"
        }
        return comparisons.isEmpty ? [] : ["AVX-512 against AVX2, direct-write: " + comparisons.joined(separator: "; ") + "."]
    }

    /// What allocating the output costs, with and without fresh pages.
    static func allocation(_ document: ResultsDocument) -> String? {
        let cases = document.cases.filter { $0.family == "native" && $0.variant == "alloc" && $0.kernel == "auto" && $0.derived.allocOverheadNs != nil }
        guard !cases.isEmpty else { return nil }
        var parts: [String] = []
        if let faulting = cases.filter({ $0.rusagePerCall.minorFaults >= 0.5 }).max(by: { $0.n < $1.n }) {
            parts.append("at n = \(faulting.n) `jsa` costs \(Format.number(faulting.stats!.medianNs / (faulting.stats!.medianNs - faulting.derived.allocOverheadNs!), digits: 2))× "
                + "`jsaInto`, because every call faults in \(Format.number(faulting.rusagePerCall.minorFaults, digits: 0)) fresh pages")
        }
        if let reusing = cases.filter({ $0.rusagePerCall.minorFaults < 0.5 }).min(by: { $0.n < $1.n }) {
            parts.append("where the allocator reuses memory (n = \(reusing.n)) it adds \(Format.duration(reusing.derived.allocOverheadNs!)) "
                + "(\(Format.number(reusing.derived.allocOverheadPercent!, digits: 1))%)")
        }
        return "Allocating the output: " + parts.joined(separator: "; ") + ". Pass a preallocated output (`jsaInto`, `out=`) in loops."
    }

    /// What 4K aliasing between input and output cost, where measured. A penalty counts only where
    /// it stands out of the run's noise: the bootstrap 95% interval of the ratio of medians
    /// (`into_aliased` over `into`, same kernel and size, sampled interleaved) lies above 1, and
    /// the penalty is at least 3%. Across runs on a shared VM single cases swing widely, so the
    /// count of such cases is said with the largest one.
    static func aliasing(_ document: ResultsDocument) -> String? {
        let aliased = document.cases.filter { $0.variant == "into_aliased" && $0.derived.aliasingPenaltyPercent != nil }
        guard let largest = aliased.max(by: { $0.derived.aliasingPenaltyPercent! < $1.derived.aliasingPenaltyPercent! }) else {
            return nil
        }
        let clear = aliased.filter { a in
            guard a.derived.aliasingPenaltyPercent! >= 3,
                  let into = document.cases.first(where: { $0.variant == "into" && $0.kernel == a.kernel && $0.n == a.n })
            else { return false }
            return SampleComparison.compare(base: into.samplesNs, head: a.samplesNs, seed: document.run.seed).ci95Low > 1
        }
        guard let worst = clear.max(by: { $0.derived.aliasingPenaltyPercent! < $1.derived.aliasingPenaltyPercent! }) else {
            return "An output at the input's page offset (4K aliasing) cost nothing beyond the noise in this run "
                + "(largest difference \(Format.number(largest.derived.aliasingPenaltyPercent!, digits: 1))%, "
                + "\(largest.kernel ?? ""), n = \(largest.n))."
        }
        return "An output at the input's page offset (4K aliasing) cost up to "
            + "\(Format.number(worst.derived.aliasingPenaltyPercent!, digits: 1))% (\(worst.kernel ?? ""), n = \(worst.n)), "
            + "beyond the noise in \(clear.count) of \(aliased.count) cases: offset output buffers by half a page from their input."
    }

    /// Whether the reference summary's "unavoidable ~500 µs" overhead is reproduced, and what removes overhead.
    static func python(_ document: ResultsDocument) -> String {
        guard let python = document.python, python.unavailableReason == nil,
              let smallest = python.sizes.min(by: { $0.n < $1.n }) else {
            return "The Python binding was not measured in this run, so the reference summary's claim of an unavoidable ~500 µs overhead is neither confirmed nor refuted here."
        }
        let reproduced = smallest.callOverheadAllocNs >= 250_000
        return "The reference summary's \"~500 µs unavoidable\" Python overhead is \(reproduced ? "reproduced" : "not reproduced"): "
            + "at n = \(smallest.n) a call costs \(Format.duration(smallest.callOverheadOutNs)) over native with `out=`, "
            + "\(Format.duration(smallest.callOverheadAllocNs)) without (call + parsing \(Format.duration(smallest.callAndParsingNs)), "
            + "buffers \(Format.duration(smallest.bufferAcquisitionNs))). Writing into a caller's array saves "
            + "\(Format.number(smallest.allocToOutSavingPercent, digits: 1))% of `jsa`, and computing straight into the NumPy "
            + "output instead of copying saves \(Format.number(smallest.copyToDirectSavingPercent, digits: 1))% of `jsa_copy`."
    }
}
