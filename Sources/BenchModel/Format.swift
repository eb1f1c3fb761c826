import Foundation

/// Number formatting shared by the summary, the report, the gate's verdicts and the budgets.
public enum Format {
    public static func number(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    public static func percent(_ fraction: Double) -> String {
        number(100 * fraction, digits: 1) + "%"
    }

    /// A time in ns in the unit that suits its magnitude (ns, µs, ms, s); a negative time (a
    /// difference) is scaled by its magnitude and keeps its sign.
    public static func duration(_ ns: Double) -> String {
        guard ns.isFinite else { return number(ns, digits: 0) }
        switch abs(ns) {
        case ..<1_000: return number(ns, digits: 1) + " ns"
        case ..<1_000_000: return number(ns / 1e3, digits: 2) + " µs"
        case ..<1_000_000_000: return number(ns / 1e6, digits: 2) + " ms"
        default: return number(ns / 1e9, digits: 2) + " s"
        }
    }

    public static func bytes(_ count: Int) -> String {
        switch count {
        case ..<(1 << 10): return "\(count) B"
        case ..<(1 << 20): return number(Double(count) / 1024, digits: 1) + " KiB"
        case ..<(1 << 30): return number(Double(count) / 1_048_576, digits: 1) + " MiB"
        default: return number(Double(count) / 1_073_741_824, digits: 2) + " GiB"
        }
    }
}
