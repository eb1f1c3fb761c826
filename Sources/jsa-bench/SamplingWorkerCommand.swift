import ArgumentParser
import Foundation
import Measurement
import Sweep

/// `jsa-bench sampling-worker`: one side of `gate --baseline-exec`; samples cases on request.
struct SamplingWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sampling-worker",
        abstract: "Internal: samples sweep cases on request (run by `gate --baseline-exec` and `gate --calibrate`).",
        shouldDisplay: false)

    @OptionGroup var cases: WorkerCaseOptions

    @Option(help: "Minimum duration of one sample, ms.")
    var minSampleMs: Double = 1

    @Option(help: "Logical CPU to run on (the gate puts both builds of a round on the same one).")
    var cpu: Int?

    func run() throws {
        signal(SIGINT, SIG_IGN)  // Ctrl-C is the gate's to handle; a worker ends when its input does
        if let cpu {
            do {
                try CPUAffinity.pin(to: cpu)
            } catch {
                throw failure(error.description, ExitStatus.usage)
            }
        }
        try SamplingWorker(configuration: try cases.configuration(minimumSampleMs: minSampleMs)).serve()
    }
}
