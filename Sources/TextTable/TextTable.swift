/// A plain-text table for terminals: columns padded to their widest cell, a rule under the
/// header, two spaces between columns, no trailing blanks.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public let header: [String]
    public let rows: [[String]]
    /// One per column; missing entries are `.left`.
    public let alignments: [Alignment]

    public init(header: [String], rows: [[String]], alignments: [Alignment] = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
    }

    /// The header, the rule and the rows, one string per line.
    public func lines() -> [String] {
        let widths = header.indices.map { c in ([header] + rows).map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func format(_ cells: [String]) -> String {
            var line = ""
            for (c, width) in widths.enumerated() {
                let cell = c < cells.count ? cells[c] : ""
                let pad = String(repeating: " ", count: width - cell.count)
                let aligned = (c < alignments.count && alignments[c] == .right) ? pad + cell : cell + pad
                line += (c == 0 ? "" : "  ") + aligned
            }
            while line.last == " " { line.removeLast() }
            return line
        }
        return [format(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(format)
    }
}
