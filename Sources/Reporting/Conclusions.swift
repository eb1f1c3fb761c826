import BenchModel
import Foundation

/// Conclusions drawn from the analysis by fixed rules, each sentence citing the figures (and
/// intervals) it rests on. A rule whose cases are absent says nothing rather than guessing; a
/// difference whose interval holds no change is said to be within the noise.
enum Conclusions {
    /// A direct-write kernel within this factor of memcpy's time runs at the copy roofline.
    static let rooflineFactor = 1.1

    static func intoCase(_ document: ResultsDocument, kernel: KernelName, n: Int) -> CaseResult? {
        document.cases.first { $0.n == n && $0.kind == .native(.into, kernel) && $0.estimates?.blocked != nil }
    }

    static func ratio(_ document: ResultsDocument, _ kind: RatioEstimate.Kind, of c: CaseResult?) -> IntervalEstimate? {
        c.flatMap { document.analysis?.ratio(kind, of: $0.id)?.headline }
    }

    /// `2.94× (95% CI 2.81–3.08)`.
    static func cited(_ estimate: IntervalEstimate, suffix: String = "×") -> String {
        "\(Format.number(estimate.value, digits: 2))\(suffix) (95% CI \(Format.number(estimate.ci95Low, digits: 2))–"
            + "\(Format.number(estimate.ci95High, digits: 2)))"
    }

    /// One representative size per cache level: the smallest measured size living there.
    static func sizesByLevel(_ document: ResultsDocument) -> [(level: String, n: Int)] {
        let sizes = Set(document.cases.filter { $0.kind?.nativeVariant != nil }.map(\.n)).sorted()
        var seen = Set<String>()
        return sizes.compactMap { n in
            let level = document.environment.caches.level(ofWorkingSet: 16 * n).rawValue
            return seen.insert(level).inserted ? (level, n) : nil
        }
    }

    /// The fastest SIMD direct-write kernel at n (not scalar, not auto), by its time (`ReportTables.timeNs`).
    static func bestSIMD(_ document: ResultsDocument, n: Int) -> CaseResult? {
        [KernelName.avx2, .avx512].compactMap { intoCase(document, kernel: $0, n: n) }
            .min { ReportTables.timeNs($0)! < ReportTables.timeNs($1)! }
    }

    /// Short lines for the overview.
    static func headlines(_ document: ResultsDocument) -> [String] {
        var lines: [String] = []
        if let (level, n) = sizesByLevel(document).first {
            let simd = [KernelName.avx2, .avx512].compactMap { kernel in
                ratio(document, .speedupOverScalar, of: intoCase(document, kernel: kernel, n: n)).map { "\(kernel.rawValue) \(cited($0))" }
            }
            if !simd.isEmpty {
                lines.append("**SIMD at \(level) (n = \(n)):** \(simd.joined(separator: ", ")) scalar, direct-write through the Swift API.")
            }
        }
        if let (level, n) = sizesByLevel(document).first(where: { $0.level == "L2" }),
            let memcpy = ratio(document, .fractionOfMemcpy, of: intoCase(document, kernel: .auto, n: n))
        {
            lines.append("**Roofline at \(level) (n = \(n)):** direct-write `auto` takes \(cited(memcpy)) memcpy's time.")
        }
        if let python = document.python, let smallest = python.sizes.min(by: { $0.n < $1.n }) {
            lines.append(
                "**Python:** `jsa(x, p, out=o)` costs \(Format.duration(document.pythonCallOverheadOut(smallest).ns)) over the native call at "
                    + "n = \(smallest.n) (the Python loop's own \(Format.duration(smallest.emptyLoopNs)) aside). "
                    + ReportTables.overheadThreshold(document) + ".")
        }
        return lines
    }

    static func section(_ document: ResultsDocument) -> String {
        var lines = ["## Conclusions", ""]
        lines += levels(document).map { "- \($0)" }
        lines += widths(document).map { "- \($0)" }
        if let autoChoice = autoChoice(document) { lines.append("- \(autoChoice)") }
        if let allocation = allocation(document) { lines.append("- \(allocation)") }
        if let aliasing = aliasing(document) { lines.append("- \(aliasing)") }
        if let offsetInput = offsetInput(document) { lines.append("- \(offsetInput)") }
        lines.append("- \(python(document))")
        return lines.joined(separator: "\n")
    }

    /// Where the kernel is bandwidth-bound, and what SIMD buys at each level.
    static func levels(_ document: ResultsDocument) -> [String] {
        sizesByLevel(document).compactMap { level, n in
            guard let best = bestSIMD(document, n: n), let speedup = ratio(document, .speedupOverScalar, of: best),
                let fraction = ratio(document, .fractionOfMemcpy, of: best)
            else { return nil }
            let streamAdd = ratio(document, .fractionOfStreamAdd, of: best)
            let opening = "At \(level) (n = \(n)) the fastest SIMD kernel, \(best.kernel!), is \(cited(speedup)) scalar "
            // Where glibc's memcpy is surely slower than a plain vector copy of the same bytes, the
            // copy loop is the roofline (rep movsb at L1 on AMD Zen 5 takes 1.7× its time).
            if let memcpyOverLoop = slowMemcpy(document, n: n), let loop = ratio(document, .fractionOfCopyLoop, of: best) {
                return opening + "and takes \(cited(fraction)) memcpy's time but \(cited(loop)) that of a vector copy loop, "
                    + "which memcpy itself takes \(cited(memcpyOverLoop)) here: it \(bound(fraction: loop, streamAdd: streamAdd))."
            }
            return opening + "and takes \(cited(fraction)) memcpy's time: it \(bound(fraction: fraction, streamAdd: streamAdd))."
        }
    }

    /// memcpy over the vector copy loop at `n` where memcpy is surely slower by more than the
    /// roofline's tolerance — glibc's copy is then no roofline at this size; nil otherwise.
    static func slowMemcpy(_ document: ResultsDocument, n: Int) -> IntervalEstimate? {
        let memcpy = document.cases.first { $0.n == n && $0.kind == .reference(.memcpy) }
        guard let overLoop = ratio(document, .fractionOfCopyLoop, of: memcpy), overLoop.ci95Low > rooflineFactor else { return nil }
        return overLoop
    }

    /// What limits a kernel that takes `fraction` of memcpy's time and `streamAdd` of STREAM
    /// add's (two loads and one store per element, as JSA's own accesses): the copy's bandwidth;
    /// else the loads and stores themselves when it runs at STREAM add's time; else its own work.
    /// A kernel surely faster than memcpy by more than the roofline's own tolerance shows that this
    /// memcpy is no roofline at that size — JSA moves the same bytes to and from memory — and no
    /// bound is read from it: glibc picks its copy by size and CPU (`rep movsb` from 2 KiB to 1 MiB
    /// on AMD Zen 5; plain stores where JSA streams). A few percent either way is the calls' fixed
    /// costs as much as the copy's rate, so within the tolerance the roofline stands.
    static func bound(fraction: IntervalEstimate, streamAdd: IntervalEstimate?) -> String {
        if fraction.ci95High < 1 / rooflineFactor {
            // The rule, in words: memcpy takes more than rooflineFactor times the kernel's time.
            let tolerance = Format.number(100 * (rooflineFactor - 1), digits: 0)
            let faster =
                "is faster than this memcpy, which takes more than \(tolerance)% longer over the same bytes, so memcpy is no "
                + "roofline at this size (glibc picks its copy by size and CPU; scripts/store-limit times it against plain copy loops)"
            guard let streamAdd else { return faster }
            return faster + "; it takes \(cited(streamAdd)) the time of STREAM add (two loads and one store per element)"
        }
        if fraction.value <= rooflineFactor {
            return "runs at the copy roofline (bandwidth-bound), so SIMD can add little more"
        }
        guard let streamAdd else { return "is slower than a copy of the same bytes, so the limit is in the core, not in memory" }
        if streamAdd.value <= rooflineFactor {
            return "is slower than a copy of the same bytes but takes \(cited(streamAdd)) the time of STREAM add, whose two "
                + "loads and one store per element are JSA's own: the core's loads and stores set the limit, not JSA's arithmetic "
                + "(docs/store-limit.md, scripts/core-ports)"
        }
        return "is slower than a copy of the same bytes and than STREAM add's two loads and one store per element "
            + "(\(cited(streamAdd))), so the limit is the kernel's own work in the core"
    }

    /// AVX-512 against AVX2, level by level: the ratio of their speed-ups over scalar, within rounds.
    static func widths(_ document: ResultsDocument) -> [String] {
        let comparisons = sizesByLevel(document).compactMap { level, n -> String? in
            guard let avx2 = ratio(document, .speedupOverScalar, of: intoCase(document, kernel: .avx2, n: n)),
                let avx512 = ratio(document, .speedupOverScalar, of: intoCase(document, kernel: .avx512, n: n))
            else { return nil }
            let faster = avx512.ci95Low > avx2.ci95High
            let slower = avx512.ci95High < avx2.ci95Low
            let word = faster ? "faster" : slower ? "slower" : "within the noise"
            return "\(word) at \(level) (n = \(n): \(cited(avx512)) against \(cited(avx2)) scalar)"
        }
        return comparisons.isEmpty ? [] : ["AVX-512 against AVX2, direct-write: " + comparisons.joined(separator: "; ") + "."]
    }

    /// How much slower than the fastest explicit kernel `auto` may be before its choice is called
    /// wrong: 3%.
    static let autoChoiceTolerance = 1.03

    /// Whether `auto` ran the fastest kernel at every size: per size, what it ran, the fastest
    /// explicit kernel of the run, and their ratio within rounds, judged by its interval.
    static func autoChoice(_ document: ResultsDocument) -> String? {
        let sizes = Set(document.cases.filter { $0.kind?.nativeVariant != nil }.map(\.n)).sorted()
        let parts = sizes.compactMap { n -> (text: String, lost: Bool)? in
            guard let auto = intoCase(document, kernel: .auto, n: n),
                let ratio = document.analysis?.ratio(.autoOverBest, of: auto.id),
                let fastest = document.cases.first(where: { $0.id == ratio.reference })?.kind?.kernel
            else { return nil }
            let ran = auto.resolvedKernel ?? "?"
            let choice = ran == fastest.rawValue ? "ran \(ran), the fastest" : "ran \(ran) where \(fastest.rawValue) was fastest"
            return ("at n = \(n) (\(auto.level)) it \(choice): \(cited(ratio.headline))", ratio.headline.ci95Low > autoChoiceTolerance)
        }
        guard !parts.isEmpty else { return nil }
        let lost = parts.filter(\.lost).count
        let tolerance = "\(Int(((autoChoiceTolerance - 1) * 100).rounded()))%"
        let verdict =
            lost == 0
            ? "nowhere more than \(tolerance) slower beyond the noise"
            : "more than \(tolerance) slower beyond the noise at \(lost) size\(lost == 1 ? "" : "s"): if more runs agree "
                + "(scripts/kernel-evidence), a rule in the auto table (docs/kernels.md) would choose better there"
        return "`auto` against the fastest explicit kernel (direct-write, within rounds): "
            + parts.map(\.text).joined(separator: "; ") + "; " + verdict + "."
    }

    /// What allocating the output costs, with and without fresh pages.
    static func allocation(_ document: ResultsDocument) -> String? {
        let cases = document.cases.filter { $0.kind == .native(.alloc, .auto) && ratio(document, .allocOverInto, of: $0) != nil }
        guard !cases.isEmpty else { return nil }
        var parts: [String] = []
        if let faulting = cases.filter({ $0.rusagePerCall.minorFaults >= 0.5 }).max(by: { $0.n < $1.n }),
            let over = ratio(document, .allocOverInto, of: faulting)
        {
            let faults = Format.number(faulting.rusagePerCall.minorFaults, digits: 0)
            let pages: String
            switch document.run.pages {
            case .base?:
                pages =
                    "\(faults) fresh 4 KiB pages (`--pages base`; `--pages huge` measures the huge pages the JSA library "
                    + "advises for large outputs)"
            case .huge?: pages = "\(faults) fresh pages (`--pages huge`: 2 MiB ones where the system granted them)"
            case nil: pages = "\(faults) fresh pages"
            }
            parts.append("at n = \(faulting.n) `jsa` costs \(cited(over)) `jsaInto`, because every call faults in \(pages)")
        }
        if let reusing = cases.filter({ $0.rusagePerCall.minorFaults < 0.5 }).min(by: { $0.n < $1.n }),
            let over = ratio(document, .allocOverInto, of: reusing)
        {
            func excess(_ kind: DifferenceEstimate.Kind, _ beyond: String) -> String? {
                document.analysis?.difference(kind, of: reusing.id).map {
                    "\(Format.duration($0.estimate.value)) (95% CI \(Format.duration($0.estimate.ci95Low)) – "
                        + "\(Format.duration($0.estimate.ci95High))) more than \(beyond)"
                }
            }
            let excesses = [
                excess(.allocationExcess, "malloc and free alone"), excess(.arrayExcess, "creating and releasing a Swift array of n")
            ]
            .compactMap { $0 }
            parts.append(
                "where the allocator reuses memory (n = \(reusing.n)) it costs \(cited(over)) `jsaInto`"
                    + (excesses.isEmpty ? "" : ", " + excesses.joined(separator: " and ")))
        }
        return "Allocating the output: " + parts.joined(separator: "; ") + ". Pass a preallocated output (`jsaInto`, `out=`) in loops."
    }

    /// What 4K aliasing between input and output cost (`into_aliased` against `into`).
    static func aliasing(_ document: ResultsDocument) -> String? {
        placementCost(
            document, .aliasedOverInto, placement: "An output at the input's page offset (4K aliasing)",
            remedy: "offset output buffers by half a page from their input")
    }

    /// What an input off its cache line cost (`into_offset` against `into`).
    static func offsetInput(_ document: ResultsDocument) -> String? {
        placementCost(
            document, .offsetOverInto, placement: "An input 16 bytes off its cache line (the output on one)",
            remedy: "allocate arrays on 64-byte boundaries, or keep input and output at the same offset within a line")
    }

    /// What a placement of the buffers cost against `into`'s, by the ratios of `kind`: beyond the
    /// noise where the within-round ratio's interval lies above 1 and the penalty is at least 3%.
    static func placementCost(_ document: ResultsDocument, _ kind: RatioEstimate.Kind, placement: String, remedy: String)
        -> String?
    {
        let ratios = (document.analysis?.ratios ?? []).filter { $0.kind == kind }
        guard let largest = ratios.max(by: { $0.headline.value < $1.headline.value }) else { return nil }
        let clear = ratios.filter { $0.headline.ci95Low > 1 && $0.headline.value >= 1.03 }
        let name = { (r: RatioEstimate) in r.subject.split(separator: "/").dropFirst(2).prefix(2).joined(separator: " ") }
        guard let worst = clear.max(by: { $0.headline.value < $1.headline.value }) else {
            return "\(placement) cost nothing beyond the noise in this run (largest ratio \(cited(largest.headline)), \(name(largest)))."
        }
        return "\(placement) cost up to \(cited(worst.headline)) (\(name(worst))), "
            + "beyond the noise in \(clear.count) of \(ratios.count) cases: \(remedy)."
    }

    /// Whether the reference summary's "unavoidable ~500 µs" overhead is reproduced, and what removes overhead.
    static func python(_ document: ResultsDocument) -> String {
        guard let python = document.python, python.unavailableReason == nil,
            let smallest = python.sizes.min(by: { $0.n < $1.n })
        else {
            return
                "The Python binding was not measured in this run, so the reference summary's claim of an unavoidable ~500 µs overhead is neither confirmed nor refuted here."
        }
        let reproduced = smallest.callOverheadAllocNs >= 250_000
        return "The reference summary's \"~500 µs unavoidable\" Python overhead is \(reproduced ? "reproduced" : "not reproduced"): "
            + "at n = \(smallest.n) a call costs \(Format.duration(document.pythonCallOverheadOut(smallest).ns)) over native with `out=`, "
            + "\(Format.duration(smallest.callOverheadAllocNs)) without (call + parsing \(Format.duration(smallest.callAndParsingNs)), "
            + "buffers \(Format.duration(smallest.bufferAcquisitionNs))). Writing into a caller's array saves "
            + "\(Format.number(smallest.allocToOutSavingPercent, digits: 1))% of `jsa`, and computing straight into the NumPy "
            + "output instead of copying saves \(Format.number(smallest.copyToDirectSavingPercent, digits: 1))% of `jsa_copy`."
    }
}
