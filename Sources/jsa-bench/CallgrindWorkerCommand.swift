import ArgumentParser
import Measurement
import Sweep

/// `jsa-bench callgrind-worker`: the process `sweep --counters callgrind` runs under valgrind; it
/// reads its setup line and prints, as JSON, which cases it measured (and why not the others).
struct CallgrindWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: CallgrindPass.workerCommandName,
        abstract: "Internal: the native cases under callgrind (run by `sweep --counters callgrind`).",
        shouldDisplay: false)

    func run() throws {
        guard Callgrind.isActive else {
            throw failure("callgrind-worker must run under valgrind --tool=callgrind", ExitStatus.usage)
        }
        do {
            try CallgrindPass.serveWorker()
        } catch {
            throw failure("\(error)", ExitStatus.software)
        }
    }
}
