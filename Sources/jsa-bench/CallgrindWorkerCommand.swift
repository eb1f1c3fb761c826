import ArgumentParser
import Foundation
import Measurement
import Sweep
import SystemIO

/// `jsa-bench callgrind-worker`: the process `sweep --counters callgrind` runs under valgrind.
/// Prints, as JSON on stdout, which cases it measured (and why not the others).
struct CallgrindWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callgrind-worker",
        abstract: "Internal: the native cases under callgrind (run by `sweep --counters callgrind`).",
        shouldDisplay: false)

    @OptionGroup var cases: WorkerCaseOptions

    @Option(help: "Calls counted per case.")
    var calls: Int = CallgrindPass.callsPerCase

    func run() throws {
        guard Callgrind.isActive else {
            throw failure("callgrind-worker must run under valgrind --tool=callgrind", ExitStatus.usage)
        }
        let report = CallgrindPass.runWorker(configuration: try cases.configuration(), calls: calls)
        try emit(String(decoding: try JSONEncoder().encode(report), as: UTF8.self) + "\n")
    }
}
