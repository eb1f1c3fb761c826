import BenchModel
import Foundation

/// Regression thresholds as data: a default per metric, and overrides per case-id pattern
/// (`*` matches any run of characters), the last matching override winning.
public struct Thresholds: Sendable {
    public struct Override: Sendable, Equatable {
        public var pattern: String
        public var metric: ComparisonMetric?
        public var threshold: Double

        public init(pattern: String, metric: ComparisonMetric?, threshold: Double) {
            self.pattern = pattern
            self.metric = metric
            self.threshold = threshold
        }
    }

    /// Thresholds that replace a metric's `defaultThreshold` for every case.
    public var defaults: [ComparisonMetric: Double] = [:]
    public var overrides: [Override] = []

    public init(defaults: [ComparisonMetric: Double] = [:], overrides: [Override] = []) {
        self.defaults = defaults
        self.overrides = overrides
    }

    /// The threshold of `metric` for case `id`: the last override that matches it (one without a
    /// metric matches every metric of its kind of threshold), else the metric's default.
    public func threshold(for id: String, metric: ComparisonMetric) -> Double {
        let matching = overrides.last {
            ($0.metric.map { $0 == metric } ?? (metric.thresholdKind == .relative)) && Glob.matches(id, pattern: $0.pattern)
        }
        return matching?.threshold ?? defaults[metric] ?? metric.defaultThreshold
    }

    /// Parses `PATTERN=5%` (or `PATTERN=0.05`), optionally `PATTERN=5%:time` or
    /// `PATTERN=0.02:d1_misses` (an absolute threshold, in misses per element).
    public static func parseOverride(_ text: String) -> Override? {
        guard let equals = text.lastIndex(of: "=") else { return nil }
        let pattern = String(text[..<equals])
        var value = String(text[text.index(after: equals)...])
        var metric: ComparisonMetric?
        if let colon = value.lastIndex(of: ":") {
            guard let parsed = ComparisonMetric(rawValue: String(value[value.index(after: colon)...])) else { return nil }
            metric = parsed
            value = String(value[..<colon])
        }
        guard !pattern.isEmpty, let threshold = parseFraction(value) else { return nil }
        return Override(pattern: pattern, metric: metric, threshold: threshold)
    }

    /// `5%` → 0.05; `0.05` → 0.05. Nil unless it is in (0, 10).
    public static func parseFraction(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast()).map { $0 / 100 } : Double(trimmed)
        guard let value, value > 0, value < 10 else { return nil }
        return value
    }

    /// Reads overrides from a file: one `PATTERN THRESHOLD [METRIC]` per line, `#` comments.
    public static func parseConfig(_ text: String) throws -> [Override] {
        var overrides: [Override] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count <= 3, let threshold = parseFraction(fields.count > 1 ? fields[1] : ""),
                fields.count < 3 || ComparisonMetric(rawValue: fields[2]) != nil
            else { throw ConfigError(line: number + 1, text: String(raw)) }
            overrides.append(
                Override(
                    pattern: fields[0], metric: fields.count == 3 ? ComparisonMetric(rawValue: fields[2]) : nil,
                    threshold: threshold))
        }
        return overrides
    }

    public struct ConfigError: Error, CustomStringConvertible {
        public let line: Int
        public let text: String
        public var description: String {
            "line \(line): expected 'PATTERN THRESHOLD [\(ComparisonMetric.allCases.map(\.rawValue).joined(separator: "|"))]', got '\(text)'"
        }
    }
}
