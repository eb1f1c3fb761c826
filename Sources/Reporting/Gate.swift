import Analysis
import BenchModel
import Foundation
import TextTable

/// The regression gate's report: a comparison as text, markdown or JSON.
extension Gate {
    /// The comparison as text, markdown or JSON.
    public enum Format: String, CaseIterable, Sendable {
        case text, markdown, json
    }

    public static func render(_ comparison: RunComparison, format: Format, outcome: Outcome? = nil) throws -> String {
        try render([comparison], format: format, outcome: outcome)
    }

    /// Comparisons on several metrics: one table each (headed by its metric when there are
    /// several), then the verdicts and the gate's line over all of them. JSON: the comparison
    /// object for one metric, an array of them for several.
    public static func render(_ comparisons: [RunComparison], format: Format, outcome: Outcome? = nil) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = comparisons.count == 1 ? try encoder.encode(comparisons[0]) : try encoder.encode(comparisons)
            return String(decoding: data, as: UTF8.self) + "\n"
        case .text, .markdown:
            var lines: [String] = []
            for comparison in comparisons {
                if comparisons.count > 1 {
                    lines.append(format == .markdown ? "### \(comparison.metric.rawValue)" : "== \(comparison.metric.rawValue)")
                    lines.append("")
                }
                lines += table(comparison, format: format)
            }
            let cases = comparisons.flatMap(\.cases)
            let counts = Dictionary(grouping: cases, by: \.verdict).mapValues(\.count)
            lines.append(
                "Verdicts: " + CaseVerdict.Verdict.allCasesInOrder.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "."
            )
            if let outcome {
                lines.append("Gate: \(outcome) (exit \(outcome.rawValue)).")
                let failed = cases.filter { $0.verdict == .slower }.count
                let skipped = cases.filter { $0.verdict == .inconclusive }.count
                lines.append("gate: \(cases.count - failed - skipped) passed, \(failed) failed, \(skipped) skipped")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// One comparison's table, its geometric mean and the cases only one run has.
    static func table(_ comparison: RunComparison, format: Format) -> [String] {
        let unit = comparison.metric.unit
        let time = comparison.metric == .time
        let header = ["case", time ? "base" : "base \(unit)", time ? "head" : "head \(unit)", "ratio", "verdict", "why"]
        func shown(_ value: Double, measure: String?) -> String {
            guard time else { return BenchModel.Format.number(value, digits: comparison.metric.thresholdKind == .relative ? 0 : 4) }
            switch measure {
            case Estimator.normalized.rawValue: return BenchModel.Format.number(value, digits: 4) + " probe"
            case RatioEstimate.Kind.fractionOfMemcpy.rawValue, RatioEstimate.fastLevelFigure(.fractionOfMemcpy):
                return BenchModel.Format.number(value, digits: 3) + "× memcpy"
            default: return BenchModel.Format.duration(value)
            }
        }
        let rows = comparison.cases.map { c -> [String] in
            [
                c.id, shown(c.base, measure: c.measure), shown(c.head, measure: c.measure), BenchModel.Format.number(c.ratio, digits: 3),
                c.verdict.rawValue, c.reason
            ]
        }
        let alignments: [TextTable.Alignment] = [.left, .right, .right, .right, .left, .left]
        let table = Table(columns: zip(header, alignments).map { Table.Column($0, $1) }, rows: rows)
        var lines = table.lines(format == .markdown ? .markdown : .terminal)
        lines.append("")
        let measures = Set(comparison.cases.compactMap(\.measure)).sorted()
        if time && !measures.isEmpty {
            lines.append(
                "base and head: the values the ratio compares — \(measures.joined(separator: ", ")) "
                    + "(a case's headline estimate where both runs head it with the same one, blocked otherwise; "
                    + "normalized in units of the speed probe).")
        }
        let differingWorkers = comparison.inconclusiveForTheirWorkers.count
        if differingWorkers > 0 {
            let cases = "\(differingWorkers) inconclusive case" + (differingWorkers == 1 ? "" : "s")
            let factor = BenchModel.Format.number(RunComparison.workerFactor, digits: 0)
            lines.append(
                "The workers differ: in \(cases) the rounds' ratios spread by \(factor)× or more what each build's samples "
                    + "within a round do (interquartile ranges), so it is each round's fresh pair of workers that differs — most "
                    + "often in where their buffers lie, at a size near a cache's capacity (more --placements mix more draws of "
                    + "pages in each worker; --pages huge, with a noise floor calibrated on it, evens them out); more --rounds "
                    + "narrow such intervals, more --samples do not.")
        }
        if let se = comparison.runLevelSE {
            lines.append(
                "Intervals include the host's run level (run.run_level): whole runs add a standard error of \(BenchModel.Format.number(100 * se, digits: 2))% "
                    + (comparison.largestCaseRunLevelSE.map {
                        "over every case, and each case's difference its own spread over the runs of `reproduce` (largest "
                            + "\(BenchModel.Format.number(100 * $0.se, digits: 2))%, \($0.id))."
                    } ?? "to every case's difference."))
        }
        if let shares = comparison.fastLevelShares, shares.eitherMetItSeldom {
            func share(_ value: Double?) -> String {
                value.map { BenchModel.Format.number(100 * $0, digits: 0) + "%" } ?? "every sample (no fast-level cut)"
            }
            lines.append(
                "The host met its fast level seldom: the base run took \(share(shares.base)) of its samples there, the head "
                    + "\(share(shares.head)). A value at the fast level rests on those samples and on the measuring processes "
                    + "that took them, and a case whose two values rest on different levels is inconclusive for the host's speed; "
                    + "on such a host `gate --baseline-exec` times both builds in the same rounds.")
        }
        if let mean = comparison.geometricMeanRatio {
            lines.append(
                "Geometric mean of the ratios (head/base): \(BenchModel.Format.number(mean, digits: 3)) over \(comparison.cases.count) cases."
            )
        }
        if !comparison.added.isEmpty { lines.append("Only in head (added): \(comparison.added.joined(separator: ", "))") }
        if !comparison.removed.isEmpty { lines.append("Only in baseline (removed): \(comparison.removed.joined(separator: ", "))") }
        if let leftOut = comparison.leftOut, !leftOut.isEmpty {
            lines.append("Left out by --skip (--skip none compares them): \(leftOut.joined(separator: ", "))")
        }
        return lines
    }
}

extension CaseVerdict.Verdict {
    static let allCasesInOrder: [CaseVerdict.Verdict] = [.slower, .inconclusive, .unchanged, .faster]
}
