import ArgumentParser
import Foundation
import SystemIO

/// The `jsa-bench` command line: wiring only; every behaviour lives in the library modules.
@main
struct JSABench: ParsableCommand {
    /// Parses and runs the command. A usage error is one line on stderr, `jsa-bench: error:
    /// MESSAGE`, with exit 64 (ArgumentParser would add the usage lines); help goes to stdout.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                try? StandardStreams.writeOutput(fullMessage(for: error) + "\n")
            } else if let message = self.message(for: error).split(separator: "\n").first.map(String.init) {
                // An empty message: the command printed its own error and exited with its code.
                StandardStreams.writeError("jsa-bench: error: \(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)\n")
            }
            Foundation.exit(status.rawValue)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "jsa-bench",
        abstract: "Performance analysis of the JSA kernel: out[i] = (x[i] + x[i-period]) * 0.5.",
        discussion: """
            With no subcommand, runs the default sweep (with the Python ladder) and writes \
            Reports/latest/results.json and its report, Reports/latest/REPORT.md.

            Exit codes (sysexits): 0 ok; 1 a kernel differs from scalar; 64 usage; 65 a results file \
            is invalid; 66 a results file is missing; 69 a required \
            kernel cannot run here; 70 internal error; 71 a measuring process could not run; 73 an \
            output cannot be written; 78 bad configuration (JSA_DISABLE_CPU_FEATURES, \
            JSA_BENCH_WORKER_TIMEOUT); 130 interrupted (results kept).

            Environment: JSA_DISABLE_CPU_FEATURES=avx512f[,avx2] caps the instruction sets the kernels \
            may use (as NumPy's NPY_DISABLE_CPU_FEATURES does): `auto` falls back, and asking for a \
            disabled kernel is an error. JSA_BENCH_WORKER_TIMEOUT=SECONDS (default 300) is how long a \
            measuring process may take to answer, beyond the time its samples need, before it is \
            taken for hung and terminated.
            """,
        subcommands: [
            SweepCommand.self, ReproduceCommand.self, PythonCommand.self, ReportCommand.self, ExportCommand.self, CompareCommand.self,
            GateCommand.self, HistoryCommand.self, Verify.self, EnvCommand.self,
            CallgrindWorkerCommand.self, SamplingWorkerCommand.self
        ],
        defaultSubcommand: SweepCommand.self
    )
}
