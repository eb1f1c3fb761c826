import ArgumentParser
import SystemIO

/// Exit codes, from sysexits(3) where one fits.
enum ExitStatus {
    /// A kernel's output differs from scalar.
    static let verificationFailed = ExitCode(1)
    /// EX_USAGE: bad flags or arguments (ArgumentParser's validation errors use it too).
    static let usage = ExitCode(64)
    /// EX_DATAERR: an input file is not what it must be (another schema, truncated, edited).
    static let dataError = ExitCode(65)
    /// EX_NOINPUT: an input file does not exist.
    static let noInput = ExitCode(66)
    /// EX_UNAVAILABLE: something required is not here: a kernel this machine cannot run, valgrind,
    /// a database server, or PostgreSQL support in this build.
    static let unavailable = ExitCode(69)
    /// EX_SOFTWARE: an internal error.
    static let software = ExitCode(70)
    /// EX_OSERR: the system would not run what the command needs: a sweep's size for which no
    /// measuring process could run, a gate's worker that could not (a temporary folder mounted
    /// noexec, buffers it would not map, a crash).
    static let osError = ExitCode(71)
    /// EX_CANTCREAT: an output file cannot be created or written (OutputPath's policy refuses it,
    /// or the write fails).
    static let cannotCreate = ExitCode(73)
    /// EX_IOERR: standard output could not be written (a full disk, a closed pipe).
    static let ioError = ExitCode(74)
    /// EX_TEMPFAIL: a resource is busy for now (a history store locked by another process).
    static let temporaryFailure = ExitCode(75)
    /// EX_NOPERM: permission denied (a database server refused the login).
    static let noPermission = ExitCode(77)
    /// EX_CONFIG: the environment's configuration is malformed.
    static let config = ExitCode(78)
    /// 128 + SIGINT: interrupted by Ctrl-C (what was measured has been written); a SIGTERM gives
    /// 143 the same way.
    static let interrupted = ExitCode(130)
}

/// Prints `jsa-bench: error: message` on stderr and returns `status` to throw.
func failure(_ message: String, _ status: ExitCode) -> ExitCode {
    StandardStreams.writeError("jsa-bench: error: \(message)\n")
    return status
}

/// Writes `text` to standard output, or fails with 74 when standard output cannot take it.
func emit(_ text: String) throws {
    do {
        try StandardStreams.writeOutput(text)
    } catch {
        throw failure(error.description, ExitStatus.ioError)
    }
}

/// Prints `jsa-bench: text` on standard error (progress and notes; a failure to write is dropped).
func note(_ text: String) {
    StandardStreams.writeError("jsa-bench: \(text)\n")
}
