import ArgumentParser
import Sweep

/// `jsa-bench sampling-worker`: a measuring process of `sweep` and `gate` (SamplingWorker).
struct SamplingWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: SamplingWorker.commandName,
        abstract: "Internal: builds the cases its setup line names and samples them on request (run by `sweep` and `gate`).",
        shouldDisplay: false)

    func run() throws {
        try SamplingWorker.serve()
    }
}
