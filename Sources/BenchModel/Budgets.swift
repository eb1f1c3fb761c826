/// Performance budgets as data: what a user expects of their kernels, checked against every run.
///
/// A budgets file has one budget per line, `#` starting a comment:
///
///     METRIC  CASES  [level=LEVEL]  OP  BOUND  [-- DESCRIPTION]
///
///     speedup_over_scalar   native/into/avx2/n=1000/*   >=  2.5   -- AVX2 pays off at L1
///     fraction_of_memcpy    native/into/auto/*  level=L2  <=  1.0  -- direct-write at the copy roofline
///
/// METRIC is one of `BudgetMetric`; CASES a case-id pattern (`*` any run of characters); LEVEL
/// restricts it to cases whose working set lives in that cache level; OP is `<=` or `>=`.
public struct Budget: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable {
        case atMost = "<="
        case atLeast = ">="
    }

    public var metric: BudgetMetric
    public var cases: String
    public var level: String?
    public var direction: Direction
    public var bound: Double
    /// The description after `--`, or the budget itself in words.
    public var name: String
    /// Its line in the file.
    public var line: Int

    public init(
        metric: BudgetMetric, cases: String, level: String? = nil, direction: Direction, bound: Double,
        name: String? = nil, line: Int = 0
    ) {
        self.metric = metric
        self.cases = cases
        self.level = level
        self.direction = direction
        self.bound = bound
        self.name = name ?? "\(metric.rawValue) of \(cases)\(level.map { " at \($0)" } ?? "") \(direction.rawValue) \(bound)"
        self.line = line
    }

    /// Whether the case with this id and cache level is one the budget is about.
    public func applies(to id: String, level caseLevel: String) -> Bool {
        Glob.matches(id, pattern: cases) && (level == nil || level == caseLevel)
    }
}

/// What a budget can bound: a case's estimate, or a ratio or difference the analysis took within
/// rounds. Each knows its unit.
public enum BudgetMetric: Hashable, Sendable, CaseIterable, RawRepresentable {
    /// The blocked estimate, ns per call (`time_ns`).
    case time
    /// The normalized estimate, in units of the speed probe (`normalized`).
    case normalized
    /// A within-round ratio of the analysis, by its own name (`speedup_over_scalar`, …).
    case ratio(RatioEstimate.Kind)
    /// A within-round difference of the analysis, ns, by its name and `_ns` (`swift_overhead_ns`, …).
    case difference(DifferenceEstimate.Kind)

    public static var allCases: [BudgetMetric] {
        [.time, .normalized] + RatioEstimate.Kind.allCases.map(BudgetMetric.ratio)
            + DifferenceEstimate.Kind.allCases.map(BudgetMetric.difference)
    }

    /// The spelling in a budgets file.
    public var rawValue: String {
        switch self {
        case .time: "time_ns"
        case .normalized: "normalized"
        case .ratio(let kind): kind.rawValue
        case .difference(let kind): kind.rawValue + "_ns"
        }
    }

    public init?(rawValue: String) {
        guard let metric = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = metric
    }

    public var unit: String {
        switch self {
        case .time, .difference: "ns"
        case .normalized: "probe"
        case .ratio: "×"
        }
    }
}

/// A budgets file, parsed.
public enum BudgetFile {
    /// What is wrong with a line: its number, the field, and why.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let field: String
        public let problem: String
        public var description: String { "line \(line), field '\(field)': \(problem)" }
    }

    /// The budgets of `text`, in order.
    public static func parse(_ text: String) throws(ParseError) -> [Budget] {
        var budgets: [Budget] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            var description: String?
            if let dashes = line.range(of: "--") {
                description = line[dashes.upperBound...].trimmingCharacters(in: [" ", "\t"])
                line = String(line[..<dashes.lowerBound])
            }
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            guard let metric = BudgetMetric(rawValue: fields[0]) else {
                throw ParseError(
                    line: number, field: "metric",
                    problem: "unknown metric '\(fields[0])' (known: "
                        + BudgetMetric.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            guard fields.count >= 4 else {
                throw ParseError(
                    line: number, field: fields.count < 2 ? "cases" : "bound",
                    problem: "expected METRIC CASES [level=LEVEL] OP BOUND, got \(fields.count) fields")
            }
            var level: String?
            if fields[2].hasPrefix("level=") {
                level = String(fields[2].dropFirst("level=".count))
                guard let name = level, ["L1", "L2", "L3", "DRAM"].contains(name) else {
                    throw ParseError(line: number, field: "level", problem: "unknown level '\(level ?? "")' (known: L1, L2, L3, DRAM)")
                }
                fields.remove(at: 2)
            }
            guard fields.count == 4 else {
                throw ParseError(
                    line: number, field: "bound", problem: "unexpected '\(fields.dropFirst(4).joined(separator: " "))' after the bound")
            }
            guard let direction = Budget.Direction(rawValue: fields[2]) else {
                throw ParseError(line: number, field: "op", problem: "'\(fields[2])' is not <= or >=")
            }
            guard let bound = Double(fields[3]), bound.isFinite else {
                throw ParseError(line: number, field: "bound", problem: "'\(fields[3])' is not a number")
            }
            budgets.append(
                Budget(
                    metric: metric, cases: fields[1], level: level, direction: direction, bound: bound,
                    name: description.flatMap { $0.isEmpty ? nil : $0 }, line: number))
        }
        return budgets
    }
}

/// A budget judged on a run: met, missed, or within the noise — by where the whole 95% interval
/// of every case it bounds lies, never by a point estimate alone.
public struct BudgetVerdict: Sendable {
    public enum Verdict: String, Sendable {
        /// Every interval lies on the good side of the bound.
        case met
        /// Some interval lies wholly on the wrong side.
        case missed = "MISSED"
        /// Some interval straddles the bound: this run cannot tell.
        case withinNoise = "within noise"
        /// No case of this run is one the budget is about.
        case notMeasured = "not measured"
    }

    /// One case's figure against the bound.
    public struct Figure: Sendable {
        public let id: String
        public let estimate: IntervalEstimate
        public let verdict: Verdict

        public init(id: String, estimate: IntervalEstimate, verdict: Verdict) {
            self.id = id
            self.estimate = estimate
            self.verdict = verdict
        }
    }

    public let budget: Budget
    public let verdict: Verdict
    public let figures: [Figure]

    public init(budget: Budget, verdict: Verdict, figures: [Figure]) {
        self.budget = budget
        self.verdict = verdict
        self.figures = figures
    }
}
