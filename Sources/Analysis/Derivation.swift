import BenchModel

/// The comparisons between cases of one size by ratio of their plain medians (`derived`, as the
/// v1 schema defines them; the within-round ratios with intervals are `RunAnalysis.ratios`).
enum Derivation {
    /// Fills `derived` of the cases at `group` (all of one size, sampled together).
    static func derive(_ cases: inout [CaseResult], group: [Int]) {
        var medianOf: [CaseKind: Double] = [:]
        for index in group {
            if let kind = cases[index].kind, let median = cases[index].stats?.medianNs { medianOf[kind] = median }
        }
        for index in group {
            cases[index].derived = DerivedMetrics()
            guard let time = cases[index].stats?.medianNs, time > 0, let kind = cases[index].kind else { continue }
            var derived = DerivedMetrics()
            switch kind {
            case .native(let variant, let kernel):
                derived.fractionOfMemcpy = medianOf[.reference(.memcpy)].map { time / $0 }
                derived.fractionOfStreamAdd = medianOf[.reference(.streamAdd)].map { time / $0 }
                derived.fractionOfCopyLoop = medianOf[.reference(.copyLoop)].map { time / $0 }
                derived.speedupOverScalar = medianOf[.native(variant, .scalar)].map { $0 / time }
                let into = medianOf[.native(.into, kernel)]
                if variant == .alloc, let into {
                    derived.allocOverheadNs = time - into
                    derived.allocOverheadPercent = 100 * (time - into) / into
                }
                if variant == .intoAliased, let into {
                    derived.aliasingPenaltyPercent = 100 * (time - into) / into
                }
                if variant == .intoOffset, let into {
                    derived.offsetInputPenaltyPercent = 100 * (time - into) / into
                }
            case .batch(.allCores):
                derived.speedupOverSingleThread = medianOf[.batch(.singleThread)].map { $0 / time }
            case .reference(.memcpy):
                derived.fractionOfCopyLoop = medianOf[.reference(.copyLoop)].map { time / $0 }
            default:
                break
            }
            cases[index].derived = derived
        }
    }
}
