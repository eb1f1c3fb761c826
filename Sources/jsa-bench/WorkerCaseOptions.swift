import ArgumentParser
import JSA
import Sweep

/// The cases an internal worker process builds (`callgrind-worker`, `sampling-worker`): the same
/// sizes, kernels, period and input seed as the sweep that starts it.
struct WorkerCaseOptions: ParsableArguments {
    @Option(help: "Input lengths, comma-separated.")
    var sizes: String

    @Option(help: "Kernels, comma-separated.")
    var kernels: KernelList

    @Option(help: "JSA period.")
    var period: Int = defaultPeriod

    @Option(help: "Seed of the input data.")
    var seed: UInt64 = 42

    /// The sweep configuration of these cases, or a usage error for a bad size list.
    func configuration(minimumSampleMs: Double = 1) throws -> SweepConfiguration {
        let sizeList: [Int]
        do {
            sizeList = try SizeList.parse(sizes)
        } catch {
            throw failure("\(error)", ExitStatus.usage)
        }
        return SweepConfiguration(sizes: sizeList, kernels: kernels.kernels, period: period, samples: 1,
                                  minimumSampleMs: minimumSampleMs, seed: seed)
    }
}
