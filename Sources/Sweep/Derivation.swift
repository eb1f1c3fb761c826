import Results

/// The comparisons between cases of one size, computed from their medians.
enum Derivation {
    /// Fills `derived` of every case in `cases` (all of one size).
    static func derive(_ cases: inout [CaseResult]) {
        func median(_ predicate: (CaseResult) -> Bool) -> Double? {
            cases.first(where: predicate)?.stats?.medianNs
        }
        let memcpy = median { $0.family == "reference" && $0.variant == "memcpy" }
        let streamAdd = median { $0.family == "reference" && $0.variant == "stream_add" }
        let singleThreadBatch = median { $0.family == "batch" && $0.variant == "single_thread" }
        for c in cases.indices {
            guard let time = cases[c].stats?.medianNs, time > 0 else { continue }
            let this = cases[c]
            var derived = DerivedMetrics()
            switch this.family {
            case "native":
                derived.fractionOfMemcpy = memcpy.map { time / $0 }
                derived.fractionOfStreamAdd = streamAdd.map { time / $0 }
                derived.speedupOverScalar = median {
                    $0.family == "native" && $0.variant == this.variant && $0.kernel == "scalar"
                }.map { $0 / time }
                let into = median { $0.family == "native" && $0.variant == "into" && $0.kernel == this.kernel }
                if this.variant == "alloc", let into {
                    derived.allocOverheadNs = time - into
                    derived.allocOverheadPercent = 100 * (time - into) / into
                }
                if this.variant == "into_aliased", let into {
                    derived.aliasingPenaltyPercent = 100 * (time - into) / into
                }
            case "batch" where this.variant == "all_cores":
                derived.speedupOverSingleThread = singleThreadBatch.map { $0 / time }
            default:
                break
            }
            cases[c].derived = derived
        }
    }
}
