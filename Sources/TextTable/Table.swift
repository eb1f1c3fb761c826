/// A table defined once — its columns and rows — and rendered in either style: padded plain text
/// for the terminal, or a GitHub-flavoured markdown table for reports.
public struct Table: Sendable {
    public enum Style: Sendable {
        case terminal
        case markdown
    }

    public struct Column: Sendable {
        public let header: String
        public let alignment: TextTable.Alignment

        public init(_ header: String, _ alignment: TextTable.Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    public let columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table's lines in `style`.
    public func lines(_ style: Style) -> [String] {
        switch style {
        case .terminal:
            return TextTable(header: columns.map(\.header), rows: rows, alignments: columns.map(\.alignment)).lines()
        case .markdown:
            func row(_ cells: [String]) -> String {
                "| " + cells.map(Self.markdownCell).joined(separator: " | ") + " |"
            }
            let rule = "|" + columns.map { $0.alignment == .right ? " ---: " : " --- " }.joined(separator: "|") + "|"
            return [row(columns.map(\.header)), rule] + rows.map(row)
        }
    }

    /// A cell's text made safe inside a markdown table row: pipes escaped, line breaks as spaces.
    public static func markdownCell(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "|": escaped += "\\|"
            case "\n", "\r", "\r\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
