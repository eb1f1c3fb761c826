/// Standard output and standard error, written with write(2) and its errors checked.
///
/// Swift's `print` and Foundation's `FileHandle.write(_:)` do not do this: `print` drops a write
/// error (`export --format csv > /dev/full` exited 0 having written nothing), and
/// `FileHandle.write(_:)` traps on one (a helper whose parent had gone died with "Fatal error:
/// 'try!' … Broken pipe" and left a crash dump).
public enum StandardStreams {
    /// Standard output could not take the text.
    public struct WriteError: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { "error writing standard output: \(reason)" }
    }

    /// Writes all of `text` to standard output.
    /// - Throws: `WriteError` with the system's reason (no space, a closed pipe with SIGPIPE ignored, ...).
    public static func writeOutput(_ text: String) throws(WriteError) {
        var text = text
        if let reason = text.withUTF8({ AtomicFile.writeAll(1, UnsafeRawBufferPointer($0)) }) {
            throw WriteError(reason: reason)
        }
    }

    /// Writes `text` to standard error. A failure is dropped: there is nowhere left to report it,
    /// and a diagnostic must never end a run.
    public static func writeError(_ text: String) {
        var text = text
        _ = text.withUTF8 { AtomicFile.writeAll(2, UnsafeRawBufferPointer($0)) }
    }
}
