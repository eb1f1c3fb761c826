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
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return String(decoding: try encoder.encode(comparison), as: UTF8.self) + "\n"
        case .text, .markdown:
            let unit = comparison.metric == .time ? "median" : "instr/call"
            let header = ["case", "base \(unit)", "head \(unit)", "ratio", "verdict", "why"]
            let rows = comparison.cases.map { c -> [String] in
                let base = comparison.metric == .time ? BenchModel.Format.duration(c.base) : BenchModel.Format.number(c.base, digits: 0)
                let head = comparison.metric == .time ? BenchModel.Format.duration(c.head) : BenchModel.Format.number(c.head, digits: 0)
                return [c.id, base, head, BenchModel.Format.number(c.ratio, digits: 3), c.verdict.rawValue, c.reason]
            }
            let alignments: [TextTable.Alignment] = [.left, .right, .right, .right, .left, .left]
            let table = Table(columns: zip(header, alignments).map { Table.Column($0, $1) }, rows: rows)
            var lines = table.lines(format == .markdown ? .markdown : .terminal)
            lines.append("")
            if let mean = comparison.geometricMeanRatio {
                lines.append(
                    "Geometric mean of the ratios (head/base): \(BenchModel.Format.number(mean, digits: 3)) over \(comparison.cases.count) cases."
                )
            }
            if !comparison.added.isEmpty { lines.append("Only in head (added): \(comparison.added.joined(separator: ", "))") }
            if !comparison.removed.isEmpty { lines.append("Only in baseline (removed): \(comparison.removed.joined(separator: ", "))") }
            let counts = Dictionary(grouping: comparison.cases, by: \.verdict).mapValues(\.count)
            lines.append(
                "Verdicts: " + CaseVerdict.Verdict.allCasesInOrder.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "."
            )
            if let outcome {
                lines.append("Gate: \(outcome) (exit \(outcome.rawValue)).")
                let failed = comparison.regressions.count
                let skipped = comparison.inconclusive.count
                lines.append("gate: \(comparison.cases.count - failed - skipped) passed, \(failed) failed, \(skipped) skipped")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

extension CaseVerdict.Verdict {
    static let allCasesInOrder: [CaseVerdict.Verdict] = [.slower, .inconclusive, .unchanged, .faster]
}
