import Foundation
import Results

/// The performance goals of this project on its machine class, evaluated from a results document.
/// Each verdict cites the figures it rests on; a goal whose cases were not measured says so.
public enum Goals {
    public enum Verdict: String, Sendable {
        case met = "met"
        case missed = "MISSED"
        case notMeasured = "not measured"
    }

    public struct Goal: Sendable {
        public let name: String
        public let verdict: Verdict
        /// The figures behind the verdict.
        public let measured: String
    }

    public static func evaluate(_ document: ResultsDocument) -> [Goal] {
        [
            roofline(document),
            simdSpeedup(document, kernel: "avx512", minimum: 3.5),
            simdSpeedup(document, kernel: "avx2", minimum: 2.5),
            allocationOverhead(document),
            stability(document),
            timingOverhead(document),
        ] + pythonGoals(document)
    }

    /// The binding's goals: `jsa(out=)` ≤ 35 ns and `jsa()` ≤ 100 ns over native (a fixed cost,
    /// judged at the smallest measured size, where it is not lost in the noise of the call; `jsa()`
    /// where the allocator reuses memory), ≥ 10× the NumPy baseline at n = 1000 and ≥ 1.7× at
    /// n = 1e6 (or the measured size within 10% of it).
    static func pythonGoals(_ document: ResultsDocument) -> [Goal] {
        guard let python = document.python, python.unavailableReason == nil else { return [] }
        let sizes = python.sizes.sorted { $0.n < $1.n }
        func fixedCost(_ name: String, _ limit: Double, _ value: (PythonSizeSummary) -> Double,
                       among: [PythonSizeSummary]) -> Goal {
            guard let smallest = among.first else { return Goal(name: name, verdict: .notMeasured, measured: "no size measured") }
            return Goal(name: name, verdict: value(smallest) <= limit ? .met : .missed,
                        measured: "\(Format.number(value(smallest), digits: 1)) ns at n=\(smallest.n) "
                            + "(\(Format.number(value(smallest) + smallest.emptyLoopNs, digits: 1)) ns with the Python loop's "
                            + "own iteration)")
        }
        var goals = [
            fixedCost("python jsa(x, p, out=o) ≤ 35 ns over native", 35, \.callOverheadOutNs, among: sizes),
            fixedCost("python jsa(x, p) ≤ 100 ns over native where the allocator reuses memory", 100, \.callOverheadAllocNs,
                      among: sizes.filter { $0.pageFaultsPerCall < 0.5 }),
        ]
        for (n, minimum) in [(1000, 10.0), (1_000_000, 1.7)] {
            let name = "python n=\(n) ≥ \(Format.number(minimum, digits: 1))× the NumPy baseline"
            if let size = sizes.first(where: { abs(Double($0.n) / Double(n) - 1) <= 0.1 }) {
                goals.append(Goal(name: name, verdict: size.speedupOverNumpy >= minimum ? .met : .missed,
                                  measured: "\(Format.number(size.speedupOverNumpy, digits: 2))× at n=\(size.n)"))
            } else {
                goals.append(Goal(name: name, verdict: .notMeasured, measured: "no size within 10% of \(n) in this run"))
            }
        }
        return goals
    }

    static func nativeCases(_ document: ResultsDocument, variant: String, kernel: String) -> [CaseResult] {
        document.cases.filter { $0.family == "native" && $0.variant == variant && $0.kernel == kernel && $0.stats != nil }
    }

    /// Direct-write auto at L2-resident sizes: ≤ 1.0 × memcpy and ≤ 0.95 × STREAM add.
    static func roofline(_ document: ResultsDocument) -> Goal {
        let name = "into/auto at L2 sizes ≤ 1.0× memcpy and ≤ 0.95× STREAM add"
        let cases = nativeCases(document, variant: "into", kernel: "auto").filter { $0.level == "L2" }
        guard !cases.isEmpty else { return Goal(name: name, verdict: .notMeasured, measured: "no L2-resident size was run") }
        var met = true
        let figures = cases.map { c -> String in
            let memcpy = c.derived.fractionOfMemcpy ?? .nan
            let stream = c.derived.fractionOfStreamAdd ?? .nan
            met = met && memcpy <= 1.0 && stream <= 0.95
            return "n=\(c.n): \(Format.number(memcpy, digits: 2))× memcpy, \(Format.number(stream, digits: 2))× STREAM add"
        }
        return Goal(name: name, verdict: met ? .met : .missed, measured: figures.joined(separator: "; "))
    }

    /// At N = 1000 through the Swift API (direct-write), `kernel` at least `minimum` × scalar.
    static func simdSpeedup(_ document: ResultsDocument, kernel: String, minimum: Double) -> Goal {
        let name = "n=1000 into/\(kernel) ≥ \(Format.number(minimum, digits: 1))× scalar"
        guard let c = nativeCases(document, variant: "into", kernel: kernel).first(where: { $0.n == 1000 }),
              let speedup = c.derived.speedupOverScalar
        else { return Goal(name: name, verdict: .notMeasured, measured: "no n=1000 \(kernel) and scalar pair in this run") }
        return Goal(name: name, verdict: speedup >= minimum ? .met : .missed,
                    measured: "\(Format.number(speedup, digits: 2))× (\(Format.duration(c.stats!.medianNs)) per call)")
    }

    /// Allocating versus direct-write under 5% where the allocator reuses memory (under 0.5 minor
    /// faults per call); sizes with page faults are listed with their fault counts.
    static func allocationOverhead(_ document: ResultsDocument) -> Goal {
        let name = "alloc vs into overhead < 5% where the allocator reuses memory"
        let cases = document.cases.filter { $0.family == "native" && $0.variant == "alloc" && $0.derived.allocOverheadPercent != nil }
        let reusing = cases.filter { $0.rusagePerCall.minorFaults < 0.5 }
        let faulting = cases.filter { $0.rusagePerCall.minorFaults >= 0.5 }
        guard !reusing.isEmpty else { return Goal(name: name, verdict: .notMeasured, measured: "no allocating case without page faults") }
        let worst = reusing.max { $0.derived.allocOverheadPercent! < $1.derived.allocOverheadPercent! }!
        var text = "worst \(Format.number(worst.derived.allocOverheadPercent!, digits: 1))% (\(worst.kernel ?? "") n=\(worst.n))"
        if !faulting.isEmpty {
            let sizes = Set(faulting.map(\.n)).sorted().map { n in
                let faults = faulting.first { $0.n == n }!.rusagePerCall.minorFaults
                return "n=\(n): \(Format.number(faults, digits: 0)) faults/call"
            }
            text += "; fresh pages at \(sizes.joined(separator: ", "))"
        }
        return Goal(name: name, verdict: worst.derived.allocOverheadPercent! < 5 ? .met : .missed, measured: text)
    }

    /// At N ≥ 1e4, every case's CV at most 2% (on a quiet machine).
    static func stability(_ document: ResultsDocument) -> Goal {
        let name = "CV ≤ 2% at n ≥ 10000"
        let cases = document.cases.filter { $0.n >= 10_000 && $0.stats != nil }
        guard !cases.isEmpty else { return Goal(name: name, verdict: .notMeasured, measured: "no size ≥ 10000") }
        let noisy = cases.filter { $0.stats!.cv > 0.02 }
        let worst = cases.max { $0.stats!.cv < $1.stats!.cv }!
        return Goal(name: name, verdict: noisy.isEmpty ? .met : .missed,
                    measured: "\(cases.count - noisy.count) of \(cases.count) cases at or under 2%; worst \(Format.percent(worst.stats!.cv)) (\(worst.id))")
    }

    /// Two clock reads per sample cost under 1% of the shortest sample.
    static func timingOverhead(_ document: ResultsDocument) -> Goal {
        let name = "timing overhead < 1% of a sample"
        let durations = document.cases.compactMap { c in c.stats.map { $0.minNs * Double(c.iterationsPerSample) } }
        guard let shortest = durations.min(), shortest > 0 else {
            return Goal(name: name, verdict: .notMeasured, measured: "no samples")
        }
        let overhead = 2 * document.clock.readOverheadNs / shortest
        return Goal(name: name, verdict: overhead < 0.01 ? .met : .missed,
                    measured: "\(Format.percent(overhead)) (2 × \(Format.number(document.clock.readOverheadNs, digits: 1)) ns of a \(Format.duration(shortest)) sample)")
    }
}
