import ArgumentParser
import Foundation
import JSA
import Measurement
import Sweep

/// `jsa-bench sampling-worker`: one side of `gate --baseline-exec`; samples cases on request.
struct SamplingWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sampling-worker",
        abstract: "Internal: samples sweep cases on request (run by `gate --baseline-exec` and `gate --calibrate`).",
        shouldDisplay: false)

    @Option(help: "Input lengths, comma-separated.")
    var sizes: String

    @Option(help: "Kernels, comma-separated.")
    var kernels: KernelList

    @Option(help: "JSA period.")
    var period: Int = defaultPeriod

    @Option(help: "Seed of the input data.")
    var seed: UInt64 = 42

    @Option(help: "Minimum duration of one sample, ms.")
    var minSampleMs: Double = 1

    @Option(help: "Logical CPU to run on (the gate puts both builds of a round on the same one).")
    var cpu: Int?

    func run() throws {
        if let cpu {
            do {
                try CPUAffinity.pin(to: cpu)
            } catch {
                throw failure(error.description, ExitStatus.usage)
            }
        }
        let sizeList: [Int]
        do {
            sizeList = try SizeList.parse(sizes)
        } catch {
            throw failure("\(error)", ExitStatus.usage)
        }
        let configuration = SweepConfiguration(sizes: sizeList, kernels: kernels.kernels, period: period, samples: 1,
                                               minimumSampleMs: minSampleMs, seed: seed)
        try SamplingWorker(configuration: configuration).serve()
    }
}
