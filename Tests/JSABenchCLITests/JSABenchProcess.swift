import Foundation
import Measurement
import SystemIO

/// Runs the built `jsa-bench` executable (next to the test bundle) as a user would.
struct JSABenchProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("jsa-bench")
    }()

    /// Runs jsa-bench (the one beside the tests, or the `executable` path) with `arguments`;
    /// `standardOutput` and `standardError` replace the captured pipes (the result's text is then
    /// empty), `interruptWhen` sends `signal` (SIGINT) once it returns true; `directory` is its
    /// working directory (default: the test's).
    static func run(
        _ arguments: [String], environment extra: [String: String] = [:],
        standardOutput: FileHandle? = nil, standardError: FileHandle? = nil, interruptWhen: ((Process) -> Bool)? = nil,
        signal: Int32 = SIGINT, executable path: String? = nil, directory: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = path.map { URL(fileURLWithPath: $0) } ?? executable
        process.arguments = arguments
        process.currentDirectoryURL = directory.map { URL(fileURLWithPath: $0) }
        // The test's own JSA_DISABLE_CPU_FEATURES (the test command's capped passes) reaches
        // jsa-bench unless the test sets another.
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = standardOutput ?? out
        process.standardError = standardError ?? err
        try process.run()
        if standardOutput != nil {
            try out.fileHandleForWriting.close()
        }
        if standardError != nil {
            try err.fileHandleForWriting.close()
        }
        if let interruptWhen {
            while process.isRunning && !interruptWhen(process) {
                usleep(20_000)
            }
            if process.isRunning {
                kill(process.processIdentifier, signal)
            }
        }
        let stdout = PipeReader(out.fileHandleForReading).readToEnd()
        let stderr = PipeReader(err.fileHandleForReading).readToEnd()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
