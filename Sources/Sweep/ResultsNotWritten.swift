import BenchModel

/// A run whose results file could not be written at its end (a full disk, a folder gone): the
/// run's whole document, for the caller to put elsewhere and summarize, and why. The file itself
/// holds the last checkpoint that could be written, if any.
public struct ResultsNotWritten: Error, CustomStringConvertible {
    public let document: ResultsDocument
    /// The write's failure, in one line ("cannot write PATH: REASON").
    public let reason: String

    public var description: String { reason }
}
