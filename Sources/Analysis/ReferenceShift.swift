import BenchModel
import Foundation

/// Where the machine itself moved between two runs at one size: a reference case — memcpy, STREAM
/// add, and the Python ladder's rungs that do not call the binding (the empty loop, `numpy.empty`,
/// NumPy's expressions): code no change to jsa touches — whose compared time moved beyond its
/// threshold.
/// Then a case of that size that moved the same way is not called slower or faster on its time,
/// nor is the reference itself: the memory the speed probe does not see moved, not the code.
///
/// On the AMD EPYC Zen 4 guest (2026-12-04 20:36, `WAYS=a scripts/gate-validation 10`) an A/A
/// pair called the single-thread batch at n = 10⁵ 9.9% slower (95% CI 1.067–1.132) in a head whose
/// memcpy at that n read 5.8% slower, every probe at the fast level; and with eight measuring
/// processes a run (2026-12-04 21:32) the head of another pair had STREAM add at n = 10⁵ 8.1%
/// slower (95% CI 1.059–1.104). References moved beyond 5% at some size in 4 of 56 A/A pairs that
/// evening. With twelve Python helpers a run (22:43) an A/A pair of default sweeps called NumPy's
/// own expression at n = 1048576 10.7% slower (95% CI 1.066–1.149): its temporaries fault in
/// fresh pages every call. The memcpy basis needs no such rule: its ratios to the same run's
/// memcpy cancel it.
enum ReferenceShift {
    /// The verdicts with the rule applied: `cases[k]` is the head's case behind `verdicts[k]`.
    /// A reference beyond its threshold becomes inconclusive; a slower (faster) verdict at a size
    /// where a reference moved slower (faster) beyond its threshold becomes inconclusive, saying
    /// which reference moved and by how much. Verdicts already inconclusive keep their reason.
    static func apply(to verdicts: [CaseVerdict], cases: [CaseResult]) -> [CaseVerdict] {
        let moves = referenceMoves(verdicts, cases: cases)
        return zip(verdicts, cases).map { verdict, c in
            var verdict = verdict
            if isReference(c), verdict.verdict != .inconclusive, let direction = direction(of: verdict) {
                verdict.verdict = .inconclusive
                verdict.reason =
                    "a reference, not the code under test, moved: \(RunComparison.percent(abs(verdict.ratio - 1))) "
                    + "\(direction == .slower ? "slower" : "faster") (ratio \(Format.number(verdict.ratio, digits: 3))): "
                    + "the machine changed at this size between the runs; \(advice)"
                return verdict
            }
            guard verdict.verdict == .slower || verdict.verdict == .faster,
                let moved = moves[c.n]?.first(where: { $0.direction == verdict.verdict })
            else { return verdict }
            verdict.reason =
                "\(verdict.reason), but \(moved.id) moved \(RunComparison.percent(abs(moved.ratio - 1))) the same way "
                + "(ratio \(Format.number(moved.ratio, digits: 3))): the machine changed at this size between the runs; \(advice)"
            verdict.verdict = .inconclusive
            return verdict
        }
    }

    /// What to do instead: ways of comparing that the move does not reach.
    static let advice = "rerun, or gate with --basis memcpy or --baseline-exec"

    /// A reference that moved beyond its threshold: its id, ratio (head / base) and direction.
    struct Move {
        let id: String
        let ratio: Double
        let direction: CaseVerdict.Verdict
    }

    /// The references that moved beyond their thresholds, by n, the largest move first.
    static func referenceMoves(_ verdicts: [CaseVerdict], cases: [CaseResult]) -> [Int: [Move]] {
        var moves: [Int: [Move]] = [:]
        for (verdict, c) in zip(verdicts, cases) where isReference(c) {
            guard let direction = direction(of: verdict) else { continue }
            moves[c.n, default: []].append(Move(id: verdict.id, ratio: verdict.ratio, direction: direction))
        }
        return moves.mapValues { $0.sorted { abs(log($0.ratio)) > abs(log($1.ratio)) } }
    }

    /// Slower or faster where the verdict's ratio lies beyond its threshold, whatever its interval
    /// (a reference that noisy is no steady machine either); nil within it.
    static func direction(of verdict: CaseVerdict) -> CaseVerdict.Verdict? {
        if verdict.ratio - 1 > verdict.threshold { return .slower }
        if 1 - verdict.ratio > verdict.threshold { return .faster }
        return nil
    }

    static func isReference(_ c: CaseResult) -> Bool {
        switch c.kind {
        case .reference: true
        case .python(let rung): !rung.callsBinding
        case .native, .batch, nil: false
        }
    }
}
