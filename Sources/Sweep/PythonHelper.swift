import Foundation
import Measurement
import Results
import SystemIO

/// jsa-bench's Python helper, `jsa-bench-python`, running as a child process: the embedded CPython
/// with NumPy and jsa_native, which times the FFI ladder on request.
///
/// It is a separate executable so that jsa-bench does not link libpython: without libpython (or
/// NumPy) the helper fails to start, `start()` says why in one line, and the native run goes on.
final class PythonHelper {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The wait for an answer was given up because `shouldStop` turned true (Ctrl-C): the helper
    /// was terminated, and its ladder at this size is not measured.
    static let stoppedDescription = "stopped while the Python helper was timing"

    /// The environment variable naming the helper executable (default: `jsa-bench-python` beside
    /// this executable).
    static let pathVariable = "JSA_BENCH_PYTHON"
    static let executableName = "jsa-bench-python"

    private let process = Process()
    private let requests = Pipe()
    private let replies: PipeReader
    private let errors: URL
    private let shouldStop: () -> Bool

    /// Starts the helper and waits for its greeting.
    ///
    /// - Parameter shouldStop: polled while waiting for an answer; when it turns true the helper
    ///   (which ignores SIGINT, so that Ctrl-C reaches jsa-bench alone) is terminated and the wait
    ///   throws `Unavailable` with `stoppedDescription`.
    /// - Throws: `Unavailable` when it is missing, cannot start (libpython missing), or has no NumPy.
    init(shouldStop: @escaping () -> Bool = { false }) throws(Unavailable) {
        self.shouldStop = shouldStop
        signal(SIGPIPE, SIG_IGN)  // a helper that dies must give an error here, not kill the sweep
        let path = Self.executablePath()
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Unavailable(description: "the Python helper \(path) is missing (build it: swift build -c release "
                + "--product \(Self.executableName); \(Self.pathVariable) names another)")
        }
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("jsa-python-\(UUID()).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.standardInput = requests
        process.standardOutput = output
        process.standardError = try? FileHandle(forWritingTo: errors)
        replies = PipeReader(output.fileHandleForReading)
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run the Python helper \(path): \(error)")
        }
        let greeting = try reply()
        if let error = greeting.error {
            throw Unavailable(description: error)
        }
    }

    deinit {
        try? requests.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: errors)
    }

    /// The ladder at one size.
    /// - Throws: `Unavailable` with the helper's reason when the ladder failed or the helper died.
    func ladder(_ request: PythonLadderRequest) throws(Unavailable) -> PythonLadderResult {
        do {
            try requests.fileHandleForWriting.write(contentsOf: JSONEncoder().encode(request) + Data("\n".utf8))
        } catch {
            throw Unavailable(description: "the Python helper stopped reading: \(lastError() ?? "\(error)")")
        }
        let answer = try reply()
        guard let ladder = answer.ladder else {
            throw Unavailable(description: answer.error ?? "the Python helper sent no ladder")
        }
        return ladder
    }

    private func reply() throws(Unavailable) -> PythonHelperReply {
        let answer: String?
        do {
            answer = try replies.next(stoppingWhen: shouldStop)
        } catch {
            process.terminate()
            throw Unavailable(description: Self.stoppedDescription)
        }
        guard let line = answer else {
            process.waitUntilExit()
            let status = process.terminationStatus
            // The dynamic loader exits 127 when libpython is missing, with its reason on stderr.
            throw Unavailable(description: "the Python helper exited \(status)"
                + (lastError().map { ": \($0)" } ?? (status == 127 ? " (libpython missing?)" : "")))
        }
        guard let reply = try? JSONDecoder().decode(PythonHelperReply.self, from: Data(line.utf8)),
              reply.protocolVersion == PythonHelperReply.protocolVersion
        else {
            throw Unavailable(description: "the Python helper answered '\(line.prefix(80))', not \(PythonHelperReply.protocolVersion)")
        }
        return reply
    }

    private func lastError() -> String? {
        (try? String(contentsOf: errors, encoding: .utf8))?.split(separator: "\n").last.map(String.init)
    }

    /// `$JSA_BENCH_PYTHON`, else `jsa-bench-python` in this executable's folder.
    static func executablePath() -> String {
        if let path = ProcessInfo.processInfo.environment[pathVariable], !path.isEmpty { return path }
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return this.deletingLastPathComponent().appendingPathComponent(executableName).path
    }
}
