/// A note attached to a run: something that makes its numbers less trustworthy (a warning), or
/// something the reader should know (info). Every note is kept in the results JSON; warnings and
/// errors are also printed on stderr as they arise and listed by the summary and the report.
public struct Diagnostic: Codable, Hashable, Sendable {
    public enum Severity: String, Codable, Hashable, Sendable {
        case info
        case warning
        case error
    }

    public var severity: Severity
    /// A stable identifier (`debug_build`, `virtual_machine`, ...), for tools.
    public var code: String
    public var message: String

    public init(_ severity: Severity, _ code: String, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}
