import BenchModel
import Foundation
import Measurement
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
    /// NumPy's switch for advising its arrays of 4 MiB and more `MADV_HUGEPAGE` (read at import;
    /// on by default on Linux).
    static let numpyHugePageVariable = "NUMPY_MADVISE_HUGEPAGE"

    private let child: ChildProcess
    private let shouldStop: () -> Bool

    /// Starts the helper and waits for its greeting. Its NumPy advises huge pages as the sweep's
    /// buffers lie (`pages`): on for `huge`, off for `base`, so that the ladder's rows beyond the L2
    /// run on the pages the native cases do. (Off alone leaves NumPy's arrays to the system's
    /// policy, huge pages where it is `always`; a command measuring on `base` pages starts the
    /// helper with huge pages disallowed, `PageSize.prepareMeasuringProcesses`.)
    ///
    /// - Parameter shouldStop: polled while waiting for an answer; when it turns true (Ctrl-C,
    ///   SIGTERM) the helper is terminated and the wait throws `Unavailable` with
    ///   `stoppedDescription`.
    /// - Throws: `Unavailable` when it is missing, cannot start (libpython missing), or has no NumPy.
    init(pages: PageSize = .base, shouldStop: @escaping () -> Bool = { false }) throws(Unavailable) {
        self.shouldStop = shouldStop
        let path = Self.executablePath()
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Unavailable(
                description: "the Python helper \(path) is missing (build it: swift build -c release "
                    + "--product \(Self.executableName); \(Self.pathVariable) names another)")
        }
        do {
            child = try ChildProcess(
                executable: path, arguments: [], environment: [Self.numpyHugePageVariable: pages == .huge ? "1" : "0"])
        } catch {
            throw Unavailable(description: "cannot run the Python helper: \(error)")
        }
        let greeting = try reply(within: AnswerTimeout.configuredBaseSeconds)
        if let error = greeting.error {
            throw Unavailable(description: error)
        }
    }

    deinit {
        child.closeInput()
        if child.wait(timeout: 2) == nil { child.terminate() }
    }

    /// The ladder at one size.
    /// - Throws: `Unavailable` with the helper's reason when the ladder failed or the helper died.
    func ladder(_ request: PythonLadderRequest) throws(Unavailable) -> PythonLadderResult {
        do {
            try child.send(String(decoding: try JSONEncoder().encode(request), as: UTF8.self))
        } catch {
            throw Unavailable(description: "the Python helper stopped reading: \(child.lastErrorLine ?? "\(error)")")
        }
        // Every rung calibrated and sampled.
        let timeout = AnswerTimeout(baseSeconds: AnswerTimeout.configuredBaseSeconds, minimumSampleMs: request.minimumSampleNs / 1e6)
        let answer = try reply(
            within: timeout.seconds(samples: PythonRung.allCases.count * (AnswerTimeout.calibrationSamples + request.samples)))
        guard let ladder = answer.ladder else {
            throw Unavailable(description: answer.error ?? "the Python helper sent no ladder")
        }
        return ladder
    }

    /// The helper's next answer, waited for at most `seconds`.
    private func reply(within seconds: Double) throws(Unavailable) -> PythonHelperReply {
        let answer: String?
        do {
            answer = try child.readLine(timeout: seconds, stoppingWhen: shouldStop)
        } catch {
            child.terminate()
            throw Unavailable(
                description: error.kind == .timedOut
                    ? "the Python helper did not answer within \(Format.duration(seconds * 1e9)); it was terminated"
                    : Self.stoppedDescription)
        }
        guard let line = answer else {
            let ended = child.wait(timeout: 2)
            // The dynamic loader exits 127 when libpython is missing, with its reason on stderr.
            throw Unavailable(
                description: "the Python helper \(child.ending ?? "ended")"
                    + (child.lastErrorLine.map { ": \($0)" } ?? (ended == .exited(127) ? " (libpython missing?)" : "")))
        }
        guard let reply = try? JSONDecoder().decode(PythonHelperReply.self, from: Data(line.utf8)),
            reply.protocolVersion == PythonHelperReply.protocolVersion
        else {
            throw Unavailable(description: "the Python helper answered '\(line.prefix(80))', not \(PythonHelperReply.protocolVersion)")
        }
        return reply
    }

    /// `$JSA_BENCH_PYTHON`, else `jsa-bench-python` in this executable's folder.
    static func executablePath() -> String {
        if let path = ProcessInfo.processInfo.environment[pathVariable], !path.isEmpty { return path }
        return RunningExecutable.url.deletingLastPathComponent().appendingPathComponent(executableName).path
    }
}
